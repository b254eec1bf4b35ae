-- lint: --dialect sqlite
DROP TABLE IF EXISTS legacy_events;
