-- lint: --pg-version 16
-- PostgreSQL 16 syntax (a subquery without alias): checked from the tokens
ALTER TABLE orders ADD COLUMN refunded boolean;
UPDATE orders SET refunded = true WHERE id IN (SELECT id FROM (SELECT order_id AS id FROM refunds));
