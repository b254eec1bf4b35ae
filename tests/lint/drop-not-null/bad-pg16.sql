-- lint: --pg-version 16
-- the PostgreSQL 15 grammar cannot parse this statement (SQL/JSON is 16+), so
-- the token-level check reads it
ALTER TABLE users ALTER COLUMN locale DROP NOT NULL, ADD CONSTRAINT c CHECK (doc IS JSON);
