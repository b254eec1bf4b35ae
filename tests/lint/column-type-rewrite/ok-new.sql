CREATE TABLE scratch (id int, body text);
ALTER TABLE scratch ALTER COLUMN id TYPE bigint;
ALTER TABLE orders ADD COLUMN total int;
ALTER TABLE orders ALTER COLUMN total TYPE bigint;
