-- migrate:no-transaction
-- each statement commits on its own: the ALTER's lock is gone by the DROP
ALTER TABLE orders ADD COLUMN state text;
DROP INDEX orders_status_idx;
