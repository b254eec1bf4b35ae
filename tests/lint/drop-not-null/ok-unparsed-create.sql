-- lint: --pg-version 18
-- created by a statement the PostgreSQL 15 grammar cannot parse (a named NOT NULL
-- constraint, PostgreSQL 18): the table is still new in this script
CREATE TABLE t (id int, c text, CONSTRAINT t_c_not_null NOT NULL c);
ALTER TABLE t ALTER COLUMN c DROP NOT NULL;
ALTER TABLE t ALTER COLUMN id TYPE smallint;
ALTER TABLE t RENAME COLUMN c TO d;
