ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (tenant_id, id);
