-- migrate:up
PRAGMA foreign_keys = ON;
CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID, STRICT;
CREATE TABLE IF NOT EXISTS "order items" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  [qty] INTEGER NOT NULL DEFAULT 1 CHECK (qty > 0),
  `sku` TEXT COLLATE NOCASE
);
ALTER TABLE kv RENAME COLUMN v TO value;
CREATE TRIGGER kv_touch AFTER UPDATE ON kv BEGIN
  UPDATE kv SET value = x'00ff' WHERE k = new.k; -- migrate:down is not here
END;
-- migrate:down
DROP TRIGGER kv_touch;
DROP TABLE kv;
