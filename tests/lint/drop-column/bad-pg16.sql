-- lint: --pg-version 17
-- SET EXPRESSION is PostgreSQL 17 syntax: checked from the tokens
ALTER TABLE users DROP COLUMN nickname, ALTER COLUMN total SET EXPRESSION AS (price * qty);
