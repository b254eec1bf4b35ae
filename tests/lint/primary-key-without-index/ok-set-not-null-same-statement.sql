-- the SET NOT NULL is set-not-null's finding, not this rule's
CREATE UNIQUE INDEX events_pkey_idx ON events (id);
ALTER TABLE events ALTER COLUMN id SET NOT NULL, ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey_idx;
