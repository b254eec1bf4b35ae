-- migrate:description Validate the shipments -> orders foreign key
-- migrate:up
-- VALIDATE takes only SHARE UPDATE EXCLUSIVE on shipments (and ROW SHARE on
-- orders): reads and writes go on while existing rows are checked.
ALTER TABLE shipments VALIDATE CONSTRAINT shipments_order_id_fkey;

-- migrate:down
-- Back to the state after 20240420140000: the constraint exists, NOT VALID.
SET LOCAL lock_timeout = '5s';
ALTER TABLE shipments DROP CONSTRAINT shipments_order_id_fkey;
ALTER TABLE shipments
    ADD CONSTRAINT shipments_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE NOT VALID;
