-- the alias view gives way to the renamed view (contract step of rename-view)
DROP VIEW current_customers;
ALTER VIEW active_customers RENAME TO current_customers;
