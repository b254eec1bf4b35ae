-- an explicit NULL default is no default
ALTER TABLE users ADD COLUMN locale text NOT NULL DEFAULT NULL;
ALTER TABLE users ADD COLUMN region text DEFAULT NULL::text NOT NULL;
