-- lint: --dialect sqlite
-- SQLite accepts a column without a type, the PostgreSQL grammar does not:
-- checked from the tokens
ALTER TABLE users ADD COLUMN locale NOT NULL;
ALTER TABLE users ADD flags NOT NULL DEFAULT NULL;
