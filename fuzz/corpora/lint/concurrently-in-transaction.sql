BEGIN;
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
COMMIT;
-- migrate:no-transaction
DROP INDEX CONCURRENTLY users_email_idx;
