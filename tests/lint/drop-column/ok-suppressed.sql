-- migrate:lint-ignore drop-column -- users.nickname unused since release 4.2
ALTER TABLE users DROP COLUMN nickname;
