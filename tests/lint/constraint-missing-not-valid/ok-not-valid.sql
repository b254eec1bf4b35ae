ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0) NOT VALID;
ALTER TABLE orders
  ADD COLUMN discount_pct int,
  ADD CONSTRAINT orders_discount_pct_range CHECK (discount_pct BETWEEN 0 AND 100) NOT VALID;
