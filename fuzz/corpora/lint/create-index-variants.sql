CREATE INDEX ON orders (total);
CREATE INDEX IF NOT EXISTS orders_total_brin ON orders USING brin (total);
CREATE INDEX orders_expr ON orders ((lower(status))) WHERE total > 0;
CREATE INDEX CONCURRENTLY orders_multi ON ONLY orders (user_id, total DESC NULLS LAST);
CREATE INDEX on_temp ON pg_temp.t (x);
