-- migrate:no-transaction
BEGIN;
LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
INSERT INTO accounts_archive SELECT * FROM accounts WHERE closed;
COMMIT;
