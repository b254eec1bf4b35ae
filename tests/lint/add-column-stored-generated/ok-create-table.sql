CREATE TABLE orders (
  id bigint PRIMARY KEY,
  quantity int,
  unit_price_cents bigint,
  total_cents bigint GENERATED ALWAYS AS (quantity * unit_price_cents) STORED
);
