-- migrate:no-transaction
BEGIN;
ALTER TYPE order_status ADD VALUE 'refunded';
COMMIT;
BEGIN;
UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL AND id < 1000;
COMMIT;
