-- users exists before this migration: every existing row would get NULL
ALTER TABLE users ADD COLUMN locale text NOT NULL;
