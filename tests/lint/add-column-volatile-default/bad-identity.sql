-- PostgreSQL rewrites the table to give every row a sequence value
ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
