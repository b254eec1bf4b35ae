-- a stored generated column is add-column-stored-generated's finding
ALTER TABLE orders ADD COLUMN total bigint GENERATED ALWAYS AS (qty * price) STORED;
