-- with the session in UTC the stored values keep denoting the same instants
SET TIME ZONE 'UTC';
ALTER TABLE sessions ALTER COLUMN created_at TYPE timestamptz;
