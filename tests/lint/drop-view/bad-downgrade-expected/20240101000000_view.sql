-- migrate:up
CREATE VIEW active_customers AS SELECT 1 AS id;

-- migrate:down
DROP VIEW active_customers;
