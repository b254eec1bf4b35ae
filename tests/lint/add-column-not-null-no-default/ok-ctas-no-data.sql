CREATE TABLE users_copy AS SELECT id, email FROM users WITH NO DATA;
ALTER TABLE users_copy ADD COLUMN locale text NOT NULL;
-- filled only after the ALTER
INSERT INTO users_copy SELECT id, email, 'en' FROM users;
