-- catalog-only changes: no rewrite
ALTER TABLE products ALTER COLUMN sku TYPE varchar(50);
ALTER TABLE products ALTER COLUMN title TYPE text;
ALTER TABLE products ALTER COLUMN name TYPE varchar;
ALTER TABLE products ALTER COLUMN price TYPE numeric(14,2);
ALTER TABLE products ALTER COLUMN net TYPE inet;
ALTER TABLE products ALTER COLUMN seen_at TYPE timestamp(6);
ALTER TABLE products ALTER COLUMN tags TYPE varchar(20) USING tags::varchar(20);
ALTER TABLE products ALTER COLUMN id TYPE bigint;
