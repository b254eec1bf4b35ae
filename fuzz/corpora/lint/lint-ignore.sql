-- migrate:up
-- migrate:lint-ignore-file adding-not-nullable-field -- backfilled in 20240101
-- migrate:lint-ignore ban-drop-column, renaming-column -- table is empty in prod
ALTER TABLE users DROP COLUMN legacy;
-- migrate:lint-ignore require-concurrent-index
CREATE INDEX users_email ON users(email);
-- migrate:down
-- migrate:lint-ignore ban-drop-table --
DROP TABLE users;
