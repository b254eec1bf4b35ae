-- migrate:up
ALTER TABLE users ADD COLUMN last_login_at timestamptz;

-- migrate:down
-- dropping what the upgrade added is expected: reported as info only
ALTER TABLE users DROP COLUMN last_login_at;
