CREATE TYPE scratch AS ENUM ('a');
DROP TYPE scratch;
DROP DOMAIN positive_int;
CREATE DOMAIN positive_int AS bigint CHECK (VALUE > 0);
