-- migrate:description Add orders.currency (defaulted) and users.last_login_at (nullable)
-- migrate:up
-- Give up rather than queue behind a long transaction while holding the
-- table locks (and block everything queued behind us).
SET LOCAL lock_timeout = '5s';
-- A constant default is stored in the catalog (PostgreSQL 11+): no table
-- rewrite, existing orders read as 'USD'.
ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'USD';
-- Nullable, no default: metadata-only. The application fills it on the next
-- login, so no backfill has to run inside the migration.
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- migrate:down
SET LOCAL lock_timeout = '5s';
ALTER TABLE users DROP COLUMN last_login_at;
ALTER TABLE orders DROP COLUMN currency;
