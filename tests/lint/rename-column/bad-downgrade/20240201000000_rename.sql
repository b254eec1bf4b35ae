-- migrate:up
-- migrate:lint-ignore rename-column -- app reads both names since v3.2
ALTER TABLE users RENAME COLUMN name TO full_name;

-- migrate:down
-- the reverse rename: info only
ALTER TABLE users RENAME COLUMN full_name TO name;
