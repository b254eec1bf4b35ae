-- one statement, one rewrite: one finding naming the other columns
ALTER TABLE orders
  ADD COLUMN note text,
  ADD COLUMN public_id uuid DEFAULT gen_random_uuid(),
  ADD COLUMN seq bigserial,
  ADD COLUMN created_at timestamptz DEFAULT now(),
  ADD COLUMN token text DEFAULT md5(random()::text);
