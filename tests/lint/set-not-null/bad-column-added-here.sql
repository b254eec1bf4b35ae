-- the column is new, but the table is not: the scan reads every existing row
ALTER TABLE users ADD COLUMN locale text;
UPDATE users SET locale = 'en' WHERE locale IS NULL;
ALTER TABLE users ALTER COLUMN locale SET NOT NULL;
