-- the new column is all NULL, but the unique index is still built over
-- every row while the table is locked
ALTER TABLE users ADD COLUMN external_id text UNIQUE;
