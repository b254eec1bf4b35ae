CREATE TABLE sales (day date, amount numeric);
CREATE MATERIALIZED VIEW daily_sales AS
  SELECT day, sum(amount) AS total FROM sales GROUP BY day;
-- an expression index does not qualify for REFRESH ... CONCURRENTLY
CREATE UNIQUE INDEX daily_sales_day_expr ON daily_sales ((day::text));
