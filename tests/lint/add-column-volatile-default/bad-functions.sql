ALTER TABLE orders ADD COLUMN a uuid DEFAULT uuid_generate_v4();
ALTER TABLE orders ADD COLUMN b timestamptz DEFAULT clock_timestamp();
ALTER TABLE orders ADD COLUMN c double precision DEFAULT random();
ALTER TABLE orders ADD COLUMN d bigint DEFAULT nextval('orders_d_seq');
ALTER TABLE orders ADD COLUMN e text DEFAULT timeofday();
ALTER TABLE orders ADD COLUMN f text DEFAULT md5(random()::text);
