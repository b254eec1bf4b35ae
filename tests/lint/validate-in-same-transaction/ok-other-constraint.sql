ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents >= 0) NOT VALID;
-- a different constraint, added NOT VALID by an earlier migration
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
