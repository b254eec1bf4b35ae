-- migrate:lint-ignore drop-column -- meant for the drop below, but too early
CREATE TABLE audit (id bigint);
ALTER TABLE users DROP COLUMN nickname;
