-- a new column without a default is all NULL: PostgreSQL marks the foreign
-- key valid without scanning (the locks are brief)
ALTER TABLE orders ADD COLUMN region_id bigint REFERENCES regions (id);
ALTER TABLE orders ADD COLUMN IF NOT EXISTS channel_id bigint
  CONSTRAINT orders_channel_id_fkey REFERENCES channels (id) ON DELETE SET NULL;
