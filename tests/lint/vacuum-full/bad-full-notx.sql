-- migrate:no-transaction
VACUUM FULL orders;
VACUUM (FULL, ANALYZE, VERBOSE) public.line_items;
VACUUM (FULL true) invoices;
