-- migrate:no-transaction
-- LOCK outside a transaction block fails at run time, whatever the mode
LOCK TABLE orders IN ACCESS SHARE MODE;
