-- migrate:lint-ignore drop-column -- unused since release 4.2
ALTER TABLE users DROP COLUMN nickname;
-- migrate:lint-ignore-file create-index-non-concurrent -- small lookup tables
CREATE INDEX countries_name_idx ON countries (name);
