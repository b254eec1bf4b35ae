-- migrate:lint-ignore-file create-index-non-concurrent -- small table
CREATE INDEX a_idx ON users (name);
-- migrate:lint-ignore drop-column
ALTER TABLE users DROP COLUMN name;
-- migrate:lint-ignore no-such-rule -- typo in the rule id
ALTER TABLE users DROP COLUMN email;
-- migrate:lint-ignore drop-column,
-- migrate:lint-ignore drop-column -- applies to nothing below
SELECT 1;
