CREATE TABLE customers (id bigint PRIMARY KEY, active boolean NOT NULL);
CREATE VIEW active_customers AS SELECT id FROM customers WHERE active;
