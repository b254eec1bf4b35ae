CREATE TABLE events (id bigint PRIMARY KEY);
CREATE UNLOGGED TABLE cache_entries (key text PRIMARY KEY, value bytea);
