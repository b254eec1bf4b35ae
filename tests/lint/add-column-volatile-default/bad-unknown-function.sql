-- not created by any migration: assumed volatile, as CREATE FUNCTION's default
ALTER TABLE orders ADD COLUMN code text DEFAULT make_code(8);
