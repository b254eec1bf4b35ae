-- lint: --dialect sqlite
-- migrate:no-transaction
PRAGMA foreign_keys = 0;
BEGIN;
CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE UNIQUE INDEX users_email_key ON users (email);
PRAGMA main.foreign_key_check(users);
COMMIT;
PRAGMA foreign_keys = 1;
