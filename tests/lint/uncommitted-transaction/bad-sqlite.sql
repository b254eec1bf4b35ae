-- lint: --dialect sqlite
-- migrate:no-transaction
BEGIN IMMEDIATE;
CREATE TABLE audit_entries (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
