-- ADD FOREIGN KEY NOT VALID and VALIDATE do not take ACCESS EXCLUSIVE
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
UPDATE orders SET note = '' WHERE note IS NULL;
