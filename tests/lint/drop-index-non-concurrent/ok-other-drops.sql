ALTER TABLE orders DROP CONSTRAINT orders_code_key;
DROP VIEW IF EXISTS order_totals;
