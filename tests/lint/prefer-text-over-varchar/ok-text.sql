CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL CHECK (char_length(email) <= 320),
  name varchar,
  bio character varying
);
ALTER TABLE users ALTER COLUMN name TYPE text;
CREATE TEMP TABLE import_rows (line varchar(80));
