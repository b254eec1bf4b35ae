-- the new column is all NULL, yet PostgreSQL scans every row for the CHECK
ALTER TABLE orders ADD COLUMN discount_pct int CHECK (discount_pct BETWEEN 0 AND 100);
