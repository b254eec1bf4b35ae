-- the referenced table is new, but orders is not: its rows are scanned
CREATE TABLE regions (id bigint PRIMARY KEY);
ALTER TABLE orders ADD CONSTRAINT orders_region_id_fkey
  FOREIGN KEY (region_id) REFERENCES regions (id);
