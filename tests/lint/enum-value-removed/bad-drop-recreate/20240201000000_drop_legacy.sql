ALTER TABLE orders ALTER COLUMN status TYPE text;
DROP TYPE order_status;
CREATE TYPE order_status AS ENUM ('pending', 'paid');
ALTER TABLE orders
  ALTER COLUMN status TYPE order_status USING status::order_status;
