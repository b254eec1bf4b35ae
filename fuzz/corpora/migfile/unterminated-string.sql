-- migrate:up
SELECT 'never closed;
-- migrate:down
SELECT 2;
