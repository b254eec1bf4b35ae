-- migrate:description Create shipments table; its foreign key to orders starts NOT VALID
-- migrate:up
SET LOCAL lock_timeout = '5s';
CREATE TABLE shipments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id        bigint NOT NULL,
    carrier         text NOT NULL,
    tracking_number text,
    shipped_at      timestamptz NOT NULL DEFAULT now()
);
-- The table was created above, so a plain CREATE INDEX locks nobody out.
CREATE INDEX shipments_order_id_idx ON shipments (order_id);
-- Expand/contract for foreign keys: add it NOT VALID (enforced for new rows
-- at once, no scan of existing rows while orders is locked), then VALIDATE
-- in the next migration. The table is new here, but the same two steps are
-- what a foreign key on a populated table needs.
ALTER TABLE shipments
    ADD CONSTRAINT shipments_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE NOT VALID;

-- migrate:down
DROP TABLE shipments;
