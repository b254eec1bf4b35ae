-- migrate:no-transaction
CREATE INDEX CONCURRENTLY orders_created_at_idx ON orders (created_at);
DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx;
