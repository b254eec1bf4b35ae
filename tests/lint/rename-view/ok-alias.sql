-- the old name stays valid as an alias over the renamed view
ALTER VIEW active_customers RENAME TO current_customers;
CREATE VIEW active_customers AS SELECT * FROM current_customers;
CREATE VIEW scratch AS SELECT 1 AS x;
ALTER VIEW scratch RENAME TO scratch2;
