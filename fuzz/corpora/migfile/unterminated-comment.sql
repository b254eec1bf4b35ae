-- migrate:up
/* open
-- migrate:down
