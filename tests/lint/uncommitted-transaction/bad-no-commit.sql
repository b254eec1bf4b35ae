-- migrate:no-transaction
BEGIN;
CREATE TABLE audit_entries (id bigint PRIMARY KEY, body text NOT NULL);
