DROP VIEW active_customers;
DROP MATERIALIZED VIEW IF EXISTS reporting.daily_sales, weekly_sales CASCADE;
