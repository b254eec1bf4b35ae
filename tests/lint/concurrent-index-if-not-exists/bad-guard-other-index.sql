-- migrate:no-transaction
-- the guard drops a different index
DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);
