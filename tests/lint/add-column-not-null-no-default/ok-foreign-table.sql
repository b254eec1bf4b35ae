-- a foreign table has no local rows to check
ALTER FOREIGN TABLE remote_users ADD COLUMN locale text NOT NULL;
