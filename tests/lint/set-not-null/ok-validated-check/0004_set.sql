-- PostgreSQL 12+ uses the validated check: no scan
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
