-- migrate:upp
SELECT 1;
-- migrate:dwon
