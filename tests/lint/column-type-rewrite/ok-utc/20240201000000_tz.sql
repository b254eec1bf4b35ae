-- PostgreSQL 12+ converts timestamp <-> timestamptz without a rewrite when
-- the session time zone is UTC
SET timezone = 'UTC';
ALTER TABLE sessions ALTER COLUMN created_at TYPE timestamptz;
ALTER TABLE legacy_sessions ALTER COLUMN created_at TYPE timestamptz;
