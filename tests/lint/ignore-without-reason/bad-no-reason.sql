-- migrate:lint-ignore drop-column
ALTER TABLE users DROP COLUMN nickname;
