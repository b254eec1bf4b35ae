-- the runner wraps this file in a transaction: VACUUM cannot run there
VACUUM (ANALYZE) orders;
