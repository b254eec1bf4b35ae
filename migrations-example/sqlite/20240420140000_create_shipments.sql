-- migrate:description Create shipments table referencing orders
-- migrate:up
CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT NOT NULL,
    tracking_number TEXT,
    shipped_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX shipments_order_id_idx ON shipments (order_id);

-- migrate:down
DROP TABLE shipments;
