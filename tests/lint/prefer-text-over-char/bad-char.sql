CREATE TABLE countries (
  code char(2) PRIMARY KEY,
  flag character,
  iso3 character(3)[] NOT NULL,
  legacy bpchar(10)
);
ALTER TABLE users ADD COLUMN country char(2);
ALTER TABLE users ALTER COLUMN gender TYPE char(1);
