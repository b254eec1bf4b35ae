CREATE TABLE users (id bigint PRIMARY KEY, locale text NOT NULL DEFAULT 'en');
