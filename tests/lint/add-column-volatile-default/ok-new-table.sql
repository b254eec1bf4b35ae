CREATE TABLE orders (id bigint PRIMARY KEY);
ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN seq bigserial;
