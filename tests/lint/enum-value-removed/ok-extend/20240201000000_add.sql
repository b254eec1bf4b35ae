-- recreated with one more label (an old way to add a label inside a
-- transaction): nothing is lost
ALTER TYPE order_status RENAME TO order_status_old;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'legacy', 'refunded');
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;
DROP TYPE order_status_old;
