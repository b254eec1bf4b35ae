CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email varchar(255) NOT NULL,
  name character varying(100)
);
ALTER TABLE users ADD COLUMN nickname varchar(32);
ALTER TABLE users ALTER COLUMN email TYPE varchar(320);
