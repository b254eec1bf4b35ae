-- migrate:no-transaction
VACUUM orders;
VACUUM (ANALYZE) orders;
VACUUM (FULL false) orders;
VACUUM (FULL off, ANALYZE) orders;
