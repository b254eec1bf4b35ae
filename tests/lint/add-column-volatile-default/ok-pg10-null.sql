-- lint: --pg-version 10
ALTER TABLE orders ADD COLUMN note text DEFAULT NULL;
ALTER TABLE orders ADD COLUMN memo text;
