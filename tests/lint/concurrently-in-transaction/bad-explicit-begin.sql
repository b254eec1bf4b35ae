-- migrate:no-transaction
BEGIN;
DROP INDEX CONCURRENTLY orders_legacy_idx;
COMMIT;
REINDEX INDEX CONCURRENTLY orders_created_at_idx;
