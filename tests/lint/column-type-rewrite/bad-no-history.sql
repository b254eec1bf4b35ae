-- the current types are unknown: bigint is always a rewrite, text may not be
ALTER TABLE events ALTER COLUMN id TYPE bigint;
ALTER TABLE events ALTER COLUMN title TYPE text;
ALTER TABLE events ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
