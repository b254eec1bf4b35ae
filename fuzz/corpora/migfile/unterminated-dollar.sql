-- migrate:up
DO $body$ BEGIN PERFORM 1; END
-- migrate:down
