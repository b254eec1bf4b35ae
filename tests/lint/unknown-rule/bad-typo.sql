-- migrate:lint-ignore drop-colum -- typo in the rule id
ALTER TABLE users DROP COLUMN nickname;
