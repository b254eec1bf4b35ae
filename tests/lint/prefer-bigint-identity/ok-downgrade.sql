-- migrate:up
DROP TABLE widgets;
-- migrate:down
-- a downgrade restores the old definition
CREATE TABLE widgets (id serial PRIMARY KEY, name text NOT NULL);
