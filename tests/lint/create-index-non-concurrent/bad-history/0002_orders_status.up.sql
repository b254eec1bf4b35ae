ALTER TABLE orders ADD COLUMN status text;
-- orders was created by an earlier migration: it may hold rows
CREATE INDEX orders_status_idx ON orders (status);
