ALTER TABLE users ADD COLUMN note text;
-- migrate:lint-ignore-file create-index-non-concurrent -- no index in this file after all
-- migrate:lint-ignore drop-column -- nothing follows
