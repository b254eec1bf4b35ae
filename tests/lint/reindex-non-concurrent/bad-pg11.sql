-- lint: --pg-version 11
-- no REINDEX CONCURRENTLY before 12: the help gives the replacement
REINDEX INDEX orders_customer_id_idx;
