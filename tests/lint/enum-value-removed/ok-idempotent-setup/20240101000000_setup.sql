-- an idempotent setup script: the type did not exist before
DROP TYPE IF EXISTS mood;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TYPE scratch AS ENUM ('a', 'b');
DROP TYPE scratch;
CREATE TYPE scratch AS ENUM ('a');
