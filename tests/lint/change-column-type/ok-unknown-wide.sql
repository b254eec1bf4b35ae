-- unknown current types, but these new types only widen
ALTER TABLE events ALTER COLUMN id TYPE bigint;
ALTER TABLE events ALTER COLUMN title TYPE text;
ALTER TABLE events ALTER COLUMN amount TYPE numeric;
