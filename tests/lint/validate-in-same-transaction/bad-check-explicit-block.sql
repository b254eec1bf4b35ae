-- migrate:no-transaction
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents >= 0) NOT VALID;
UPDATE orders SET total_cents = 0 WHERE total_cents < 0;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;
COMMIT;
