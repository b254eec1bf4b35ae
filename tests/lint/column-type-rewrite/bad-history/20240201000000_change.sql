ALTER TABLE events ALTER COLUMN id TYPE bigint;
-- lowering a limit is a full rewrite, not a scan
ALTER TABLE events ALTER COLUMN sku TYPE varchar(20);
ALTER TABLE events ALTER COLUMN note TYPE varchar(500);
ALTER TABLE events ALTER COLUMN price TYPE numeric(10,3);
ALTER TABLE events ALTER COLUMN happened_at TYPE timestamptz;
-- binary-coercible, but the index on it is rebuilt
ALTER TABLE events ALTER COLUMN email TYPE text;
ALTER TABLE events ALTER COLUMN feeling TYPE text;
ALTER TABLE events ALTER COLUMN note TYPE text USING trim(note);
