-- the table is created in this migration: it is empty
CREATE TABLE users (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN locale text NOT NULL;
ALTER TABLE users ADD COLUMN external_id bigint NOT NULL DEFAULT NULL;
