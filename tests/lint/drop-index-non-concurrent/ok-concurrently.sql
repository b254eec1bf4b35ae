-- migrate:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx;
