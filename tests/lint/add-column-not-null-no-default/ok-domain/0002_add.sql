-- the domain may carry its own default, which fills existing rows
ALTER TABLE users ADD COLUMN locale locale_code NOT NULL;
