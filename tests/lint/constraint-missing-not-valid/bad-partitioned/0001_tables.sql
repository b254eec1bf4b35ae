CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE measurements (customer_id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE measurements_2024 PARTITION OF measurements
  FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
