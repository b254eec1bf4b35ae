ALTER TABLE import_staging SET LOGGED, ADD COLUMN loaded_at timestamptz;
