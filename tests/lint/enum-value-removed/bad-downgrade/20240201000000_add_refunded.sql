-- migrate:up transaction:false
ALTER TYPE order_status ADD VALUE 'refunded';

-- migrate:down
-- undoing ADD VALUE means recreating the type: info in a downgrade
ALTER TYPE order_status RENAME TO order_status_old;
CREATE TYPE order_status AS ENUM ('pending', 'paid');
ALTER TABLE orders ALTER COLUMN status TYPE order_status USING status::text::order_status;
DROP TYPE order_status_old;
