-- both tables are already in the requested state: PostgreSQL does nothing
ALTER TABLE events SET LOGGED;
ALTER TABLE cache_entries SET UNLOGGED;
