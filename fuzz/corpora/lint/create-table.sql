CREATE TABLE IF NOT EXISTS public.orders (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  total numeric(12,2) CHECK (total >= 0),
  status text COLLATE "C" DEFAULT 'new',
  tags text[] DEFAULT '{}',
  meta jsonb,
  UNIQUE (user_id, id) DEFERRABLE INITIALLY DEFERRED
) PARTITION BY HASH (id);
