CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE events (
  id serial PRIMARY KEY,
  sku varchar(100),
  note text,
  price numeric(10,2),
  happened_at timestamp,
  email citext,
  feeling mood
);
CREATE INDEX events_email_idx ON events (email);
