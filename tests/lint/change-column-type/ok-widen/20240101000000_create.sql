CREATE TYPE order_status AS ENUM ('pending', 'paid');
CREATE TABLE orders (
  id integer PRIMARY KEY,
  code varchar(20),
  note varchar(100),
  total numeric(10,2),
  qty smallint,
  day date,
  net cidr,
  status order_status,
  body text
);
