-- SQLite-style rebuild that keeps every column (and adds one)
CREATE TABLE users_new (id bigint PRIMARY KEY, name text NOT NULL, email text, created_at timestamptz);
INSERT INTO users_new (id, name, email) SELECT id, coalesce(name, ''), email FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
