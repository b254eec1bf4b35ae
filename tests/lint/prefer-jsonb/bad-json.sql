CREATE TABLE webhooks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload json NOT NULL,
  headers pg_catalog.json
);
ALTER TABLE webhooks ADD COLUMN response json;
ALTER TABLE webhooks ALTER COLUMN payload TYPE json USING payload::json;
