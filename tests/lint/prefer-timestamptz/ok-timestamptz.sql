CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  received_at timestamp with time zone,
  day date,
  at_time time
);
SELECT now()::timestamp;
