ALTER TABLE orders ADD COLUMN uid uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN r float8 DEFAULT random();
ALTER TABLE orders ADD COLUMN s text DEFAULT 'x' || 'y';
ALTER TABLE orders ADD COLUMN g int GENERATED ALWAYS AS (id * 2) STORED;
ALTER TABLE orders ADD COLUMN n serial;
