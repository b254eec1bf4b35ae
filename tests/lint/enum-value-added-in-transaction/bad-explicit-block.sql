-- migrate:no-transaction
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
CREATE INDEX orders_refunded_idx ON orders (id) WHERE status = 'refunded';
COMMIT;
