-- migrate:no-transaction
DO $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM pg_index
    WHERE indexrelid = to_regclass('public.orders_created_at_idx')
      AND NOT indisvalid
  ) THEN
    RAISE EXCEPTION 'orders_created_at_idx is INVALID: drop it and re-run';
  END IF;
END
$$;
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_at_idx ON orders (created_at);
