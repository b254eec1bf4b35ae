CREATE TABLE users_new (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO users_new SELECT id, coalesce(name, '') FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
