-- the column goes away in the same migration: drop-column reports that
ALTER TABLE users ALTER COLUMN legacy_code DROP NOT NULL;
ALTER TABLE users DROP COLUMN legacy_code;
