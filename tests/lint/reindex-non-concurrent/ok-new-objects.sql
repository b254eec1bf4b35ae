CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
REINDEX INDEX orders_customer_id_idx;
REINDEX TABLE orders;
