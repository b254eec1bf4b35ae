-- lint: --dialect sqlite
PRAGMA foreign_keys = OFF;
CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO users_new (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
PRAGMA foreign_keys = ON;
