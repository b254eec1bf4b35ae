CREATE TABLE drafts (id bigint PRIMARY KEY, body text, tmp int);
ALTER TABLE drafts DROP COLUMN tmp;
