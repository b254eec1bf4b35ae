-- lint: --dialect sqlite
ALTER TABLE users ADD COLUMN locale TEXT NOT NULL;
