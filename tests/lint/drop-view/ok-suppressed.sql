-- migrate:lint-ignore drop-view -- replaced by customer_summary in v5.0, unused since
DROP VIEW active_customers;
