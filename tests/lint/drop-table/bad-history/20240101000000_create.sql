CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE legacy_events (id bigint, payload text);
