-- the constraint was added NOT VALID by an earlier migration
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
