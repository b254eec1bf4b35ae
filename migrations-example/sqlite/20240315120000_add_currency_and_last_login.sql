-- migrate:description Add orders.currency (defaulted) and users.last_login_at (nullable)
-- migrate:up
-- Existing orders were all in US dollars: the constant default covers them.
ALTER TABLE orders ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';
-- Nullable, no default: existing rows stay valid; the application fills it
-- on the next login, so no backfill has to run inside the migration.
ALTER TABLE users ADD COLUMN last_login_at TEXT;

-- migrate:down
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE orders DROP COLUMN currency;
