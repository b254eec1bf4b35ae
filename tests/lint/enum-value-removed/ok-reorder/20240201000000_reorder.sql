CREATE TYPE order_status_new AS ENUM ('legacy', 'pending', 'paid', 'shipped');
ALTER TABLE orders ALTER COLUMN status TYPE order_status_new USING status::text::order_status_new;
DROP TYPE order_status;
ALTER TYPE order_status_new RENAME TO order_status;
