-- the column already exists: IF NOT EXISTS makes this a no-op
ALTER TABLE users ADD COLUMN IF NOT EXISTS locale text NOT NULL;
