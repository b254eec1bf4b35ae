-- lint: --pg-version 16
-- PostgreSQL 16 syntax, checked from the tokens
ALTER TABLE documents ADD CONSTRAINT documents_body_is_json CHECK (body IS JSON);
ALTER TABLE documents ADD COLUMN meta text CHECK (meta IS JSON OBJECT);
