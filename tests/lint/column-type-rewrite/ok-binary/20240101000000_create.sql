CREATE TABLE products (
  id bigint PRIMARY KEY,
  sku varchar(20),
  title varchar(100),
  name text,
  price numeric(10,2),
  net cidr,
  seen_at timestamp(3),
  tags varchar(10)
);
