CREATE UNLOGGED TABLE cache_entries (key text PRIMARY KEY, value bytea);
