-- lint: --pg-version 16
-- PostgreSQL 16 syntax (a subquery without alias): checked from the tokens
ALTER TYPE order_status ADD VALUE 'refunded';
UPDATE orders SET status = 'refunded' WHERE id IN (SELECT id FROM (SELECT id FROM orders WHERE refunded_at IS NOT NULL));
