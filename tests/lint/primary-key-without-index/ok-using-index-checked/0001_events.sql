CREATE TABLE events (id bigint, payload jsonb);
