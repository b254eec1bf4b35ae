CREATE TABLE orders (id bigint PRIMARY KEY, quantity int, unit_price_cents bigint);
ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (quantity * unit_price_cents) STORED;
