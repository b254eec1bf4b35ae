ALTER TABLE legacy_imports ADD COLUMN id serial PRIMARY KEY;
-- narrowing a key column that the catalog knows is the primary key
CREATE TABLE imports (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
ALTER TABLE imports ALTER COLUMN id TYPE integer;
