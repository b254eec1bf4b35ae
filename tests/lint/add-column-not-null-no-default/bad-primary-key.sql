-- PRIMARY KEY implies NOT NULL on PostgreSQL
ALTER TABLE users ADD COLUMN external_id bigint PRIMARY KEY;
