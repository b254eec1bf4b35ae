-- migrate:no-transaction
BEGIN;
VACUUM orders;
COMMIT;
