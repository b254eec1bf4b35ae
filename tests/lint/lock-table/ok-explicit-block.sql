-- migrate:no-transaction
BEGIN;
LOCK TABLE orders IN ROW EXCLUSIVE MODE;
COMMIT;
