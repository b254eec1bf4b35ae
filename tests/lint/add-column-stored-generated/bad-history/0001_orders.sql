CREATE TABLE orders (id bigint PRIMARY KEY, quantity int, unit_price_cents bigint);
