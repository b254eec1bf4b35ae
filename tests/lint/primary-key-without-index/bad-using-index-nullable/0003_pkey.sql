-- events.id is nullable: PostgreSQL sets NOT NULL here, scanning the table
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_pkey;
