-- REFRESH ... CONCURRENTLY may run inside a transaction
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
