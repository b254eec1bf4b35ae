ALTER TABLE users ADD COLUMN scratch int;
UPDATE users SET scratch = 1 WHERE id = 1;
ALTER TABLE users DROP COLUMN scratch;
