CREATE TABLE sales (day date, amount numeric);
CREATE MATERIALIZED VIEW daily_sales AS
  SELECT day, sum(amount) AS total FROM sales GROUP BY day;
CREATE UNIQUE INDEX daily_sales_day_key ON daily_sales (day);
