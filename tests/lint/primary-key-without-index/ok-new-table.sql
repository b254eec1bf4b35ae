CREATE TABLE events (id bigint, payload jsonb);
ALTER TABLE events ADD PRIMARY KEY (id);
