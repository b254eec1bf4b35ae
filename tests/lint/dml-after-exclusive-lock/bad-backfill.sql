ALTER TABLE users ADD COLUMN locale text;
UPDATE users SET locale = 'en' WHERE locale IS NULL;
-- reported once per transaction
UPDATE users SET locale = 'fr' WHERE country = 'FR';
