SET lock_timeout = '1s';
SET statement_timeout = 0;
RESET lock_timeout;
SET SESSION lock_timeout TO DEFAULT;
ALTER TABLE users ADD COLUMN z int;
