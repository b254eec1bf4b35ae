-- changing a view's columns: drop and recreate in the same migration
DROP VIEW active_customers;
CREATE VIEW active_customers AS SELECT id, email FROM customers WHERE active;
DROP MATERIALIZED VIEW daily_sales;
CREATE MATERIALIZED VIEW daily_sales AS SELECT 1 AS day;
