-- migrate:no-transaction
ALTER TABLE users ADD COLUMN locale text;
UPDATE users SET locale = 'en' WHERE locale IS NULL;
