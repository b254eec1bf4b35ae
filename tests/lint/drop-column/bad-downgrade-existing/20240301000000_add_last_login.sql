-- migrate:up
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- migrate:down
ALTER TABLE users DROP COLUMN last_login_at;
-- email existed before this migration: destroying it keeps its severity
ALTER TABLE users DROP COLUMN email;
