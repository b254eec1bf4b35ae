-- migrate:no-transaction
-- each statement commits on its own: the ADD's lock is gone before VALIDATE
SET lock_timeout = '5s';
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
RESET lock_timeout;
ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_fkey;
