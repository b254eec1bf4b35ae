ALTER TYPE order_status RENAME TO order_status_old;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped');
ALTER TABLE orders
  ALTER COLUMN status TYPE order_status USING status::text::order_status;
DROP TYPE order_status_old;
