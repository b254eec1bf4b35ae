DROP VIEW active_customers;
