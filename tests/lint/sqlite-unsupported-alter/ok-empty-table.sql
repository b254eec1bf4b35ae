-- lint: --dialect sqlite
-- created in this script, so still empty: SQLite only checks these when
-- the table has rows
CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT);
ALTER TABLE events ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE events ADD COLUMN len INTEGER GENERATED ALWAYS AS (length(name)) STORED;
