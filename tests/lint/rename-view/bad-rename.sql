ALTER VIEW active_customers RENAME TO current_customers;
ALTER MATERIALIZED VIEW IF EXISTS reporting.daily_sales RENAME TO sales_by_day;
