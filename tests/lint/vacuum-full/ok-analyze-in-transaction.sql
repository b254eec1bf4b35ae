-- ANALYZE may run inside a transaction block
ANALYZE orders;
ANALYZE;
