CREATE TABLE widgets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE events (id bigserial PRIMARY KEY, body text);
CREATE TABLE uuids (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
