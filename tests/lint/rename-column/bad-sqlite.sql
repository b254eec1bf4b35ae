-- lint: --dialect sqlite
ALTER TABLE users RENAME COLUMN name TO full_name;
