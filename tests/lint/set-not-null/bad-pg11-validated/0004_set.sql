-- PostgreSQL 11 does not use the validated check: it scans anyway
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
