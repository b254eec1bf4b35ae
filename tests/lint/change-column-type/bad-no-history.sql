-- unknown current types: reported as warnings when the new type can narrow
-- or a USING conversion is needed
ALTER TABLE products ALTER COLUMN sku TYPE varchar(20);
ALTER TABLE payments ALTER COLUMN external_ref TYPE bigint USING external_ref::bigint;
