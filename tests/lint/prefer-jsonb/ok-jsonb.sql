CREATE TABLE webhooks (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  payload jsonb NOT NULL
);
ALTER TABLE webhooks ALTER COLUMN payload TYPE jsonb USING payload::jsonb;
SELECT '{}'::json;
