-- the same statements are fine on PostgreSQL (other rules judge them)
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
