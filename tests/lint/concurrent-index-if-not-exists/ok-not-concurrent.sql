-- a failed plain CREATE INDEX rolls back: nothing is left behind
CREATE INDEX IF NOT EXISTS orders_created_at_idx ON orders (created_at);
