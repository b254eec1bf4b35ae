-- migrate:up
-- nothing yet
/* TODO */
-- migrate:down
