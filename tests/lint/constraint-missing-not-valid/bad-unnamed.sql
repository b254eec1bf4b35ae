ALTER TABLE orders ADD CHECK (quantity > 0), ADD FOREIGN KEY (customer_id) REFERENCES customers;
