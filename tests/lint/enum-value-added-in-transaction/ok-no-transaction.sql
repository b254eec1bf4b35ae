-- migrate:no-transaction
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
UPDATE orders SET status = 'refunded' WHERE refunded_at IS NOT NULL AND id < 1000;
