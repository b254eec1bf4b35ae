-- migrate:description Index orders by customer and date for the order history page
-- migrate:up
-- migrate:no-transaction
-- CONCURRENTLY keeps orders writable while the index builds; it cannot run
-- inside a transaction. If it fails it leaves an INVALID index: drop it
-- (DROP INDEX CONCURRENTLY orders_user_id_created_at_idx) before retrying.
CREATE INDEX CONCURRENTLY orders_user_id_created_at_idx ON orders (user_id, created_at);

-- migrate:down
-- migrate:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_created_at_idx;
