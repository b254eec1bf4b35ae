-- with a DEFAULT (even DEFAULT NULL) PostgreSQL validates the inline
-- REFERENCES against every row
ALTER TABLE orders ADD COLUMN region_id bigint DEFAULT 1 REFERENCES regions (id);
ALTER TABLE orders ADD COLUMN channel_id bigint DEFAULT NULL REFERENCES channels (id);
