-- the new table comes from a CREATE TABLE the PostgreSQL grammar cannot parse
-- (AUTOINCREMENT); it is still new, so renaming it into place is fine
CREATE TABLE users_new (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
INSERT INTO users_new SELECT id, name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
