-- the column never was NOT NULL: nothing changes
ALTER TABLE users ALTER COLUMN nickname DROP NOT NULL;
