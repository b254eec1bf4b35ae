-- PostgreSQL 11+ stores non-volatile defaults in the catalog: no rewrite
ALTER TABLE orders ADD COLUMN source text NOT NULL DEFAULT 'web';
ALTER TABLE orders ADD COLUMN qty integer NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delta integer DEFAULT -1;
ALTER TABLE orders ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN updated_at timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE orders ADD COLUMN tags text[] NOT NULL DEFAULT ARRAY[]::text[];
ALTER TABLE orders ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE orders ADD COLUMN since date DEFAULT '2020-01-01'::date;
ALTER TABLE orders ADD COLUMN code text DEFAULT lower('ABC');
ALTER TABLE orders ADD COLUMN note text DEFAULT NULL;
ALTER TABLE orders ADD COLUMN price numeric(10,2) DEFAULT CAST(0 AS numeric(10,2));
