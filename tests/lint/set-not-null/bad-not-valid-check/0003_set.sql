-- the check was never validated, so PostgreSQL still scans
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
