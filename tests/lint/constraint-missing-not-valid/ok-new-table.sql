CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, quantity int);
ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0);
ALTER TABLE orders ADD COLUMN discount_pct int CHECK (discount_pct >= 0);
