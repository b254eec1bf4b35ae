CREATE TABLE countries (
  code text PRIMARY KEY CHECK (char_length(code) = 2),
  -- the internal one-byte type, not char(n)
  kind "char" NOT NULL,
  name varchar
);
-- reading the schema is not defining a column
SELECT 'x'::char(2);
CREATE VIEW country_codes AS SELECT code::char(2) AS code FROM countries;
