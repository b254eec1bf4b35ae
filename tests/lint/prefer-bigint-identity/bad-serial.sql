CREATE TABLE widgets (
  id serial PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE gadgets (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL
);
CREATE TABLE flags (id smallserial PRIMARY KEY, name text);
