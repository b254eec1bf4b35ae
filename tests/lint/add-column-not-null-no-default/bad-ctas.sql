CREATE TABLE users_copy AS SELECT id, email FROM users;
ALTER TABLE users_copy ADD COLUMN locale text NOT NULL;
