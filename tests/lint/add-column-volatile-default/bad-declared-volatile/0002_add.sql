ALTER TABLE orders ADD COLUMN token text DEFAULT random_string(26);
