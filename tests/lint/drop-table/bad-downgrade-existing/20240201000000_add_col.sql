-- migrate:up
ALTER TABLE users ADD COLUMN nickname text;

-- migrate:down
-- wrong downgrade: drops a table an earlier migration created
DROP TABLE users;
