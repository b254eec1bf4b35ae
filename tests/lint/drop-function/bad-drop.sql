DROP FUNCTION order_total(bigint);
DROP PROCEDURE archive_orders(date);
DROP FUNCTION IF EXISTS billing.tax(numeric, text), discount CASCADE;
