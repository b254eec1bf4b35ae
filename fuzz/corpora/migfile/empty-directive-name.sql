-- migrate:
-- migrate:up
SELECT 1;
