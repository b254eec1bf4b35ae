-- the ALTER TABLE already holds ACCESS EXCLUSIVE on orders until COMMIT:
-- the DROP INDEX blocks nothing more (that lock is dml-after-exclusive-lock's
-- and the ALTER's business)
ALTER TABLE orders ADD COLUMN state text;
DROP INDEX orders_status_idx;
