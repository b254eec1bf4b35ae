ALTER TABLE orders ALTER COLUMN status TYPE varchar(20);
ALTER TABLE orders ALTER COLUMN status TYPE text;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(20,2);
ALTER TABLE orders ALTER COLUMN total TYPE numeric(10,4);
ALTER TABLE orders ALTER COLUMN id TYPE int USING id::int;
ALTER TABLE users ALTER COLUMN created_at TYPE timestamp;
ALTER TABLE users ALTER COLUMN email TYPE citext;
