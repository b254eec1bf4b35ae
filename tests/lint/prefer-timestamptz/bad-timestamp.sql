CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamp NOT NULL,
  received_at timestamp(3) without time zone,
  history timestamp[]
);
ALTER TABLE events ADD COLUMN processed_at timestamp without time zone;
ALTER TABLE events ALTER COLUMN occurred_at TYPE timestamp(6);
