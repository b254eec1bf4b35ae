-- lint: --dialect sqlite
CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT);
INSERT INTO users_new (id, email) SELECT id, email FROM users;
ALTER TABLE users_new ADD COLUMN locale TEXT NOT NULL;
