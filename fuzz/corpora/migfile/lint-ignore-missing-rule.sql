-- migrate:up
-- migrate:lint-ignore -- reason but no rule
SELECT 1;
