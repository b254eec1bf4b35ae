CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'refunded_partially');
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  code varchar(100),
  note text,
  qty integer,
  total numeric(12,2),
  ratio numeric,
  paid_at timestamptz,
  placed_at timestamp,
  email citext,
  meta json,
  status order_status,
  kind text,
  net inet
);
