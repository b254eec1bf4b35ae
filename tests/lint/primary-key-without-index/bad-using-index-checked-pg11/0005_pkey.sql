-- PostgreSQL 11 ignores the validated check: the implicit SET NOT NULL scans
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
