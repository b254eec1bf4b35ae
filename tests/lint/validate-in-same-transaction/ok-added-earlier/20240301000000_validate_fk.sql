-- the ADD was committed by the previous migration
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
