-- PostgreSQL 12+ uses the validated check for the implicit SET NOT NULL
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
