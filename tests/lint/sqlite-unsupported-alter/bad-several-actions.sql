-- lint: --dialect sqlite
ALTER TABLE users ADD COLUMN a TEXT, ADD COLUMN b TEXT;
