-- migrate:up
ALTER TABLE users DROP COLUMN nickname;

-- migrate:down
ALTER TABLE users ADD COLUMN nickname text;
