-- lint: --pg-version 10
-- before PostgreSQL 11 every non-NULL default is written into each row
ALTER TABLE orders ADD COLUMN source text NOT NULL DEFAULT 'web';
