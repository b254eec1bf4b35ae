-- migrate:description Index orders by user, without blocking writes
-- migrate:no-transaction
-- migrate:up
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_user_id_idx ON orders (user_id);
-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;
