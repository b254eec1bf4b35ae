-- migrate:up
SELECT "open
-- migrate:down
