-- a table rebuild: the new table is filled before the ALTER, so it has rows
CREATE TABLE users_new (id bigint PRIMARY KEY, email text);
INSERT INTO users_new SELECT id, email FROM users;
ALTER TABLE users_new ADD COLUMN locale text NOT NULL;
