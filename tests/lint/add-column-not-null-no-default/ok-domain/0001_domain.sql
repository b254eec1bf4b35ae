CREATE TABLE users (id bigint PRIMARY KEY);
CREATE DOMAIN locale_code AS text DEFAULT 'en' NOT NULL;
