CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy';
CREATE DOMAIN email AS text CHECK (VALUE ~* '^[^@]+@[^@]+$');
CREATE TYPE pair AS (a int, b text);
