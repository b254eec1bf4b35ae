-- catalog-only changes to the table that is already locked
ALTER TABLE users ADD COLUMN locale text;
ALTER TABLE users ADD COLUMN timezone text;
ALTER TABLE users ALTER COLUMN locale SET DEFAULT 'en';
COMMENT ON COLUMN users.locale IS 'BCP 47 tag';
INSERT INTO feature_flags (name, enabled) VALUES ('locale', false);
