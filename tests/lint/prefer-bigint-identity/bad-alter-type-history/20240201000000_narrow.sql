-- the catalog knows id is the primary key
ALTER TABLE imports ALTER COLUMN id TYPE integer;
