-- migrate:up
ALTER TABLE users ALTER COLUMN locale SET NOT NULL;

-- migrate:down
-- undoes the upgrade: reported as info only
ALTER TABLE users ALTER COLUMN locale DROP NOT NULL;
