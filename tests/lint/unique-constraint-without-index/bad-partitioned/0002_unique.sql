ALTER TABLE events ADD CONSTRAINT events_id_at_key UNIQUE (id, at);
