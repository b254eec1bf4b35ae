-- lint: --dialect sqlite
ALTER TABLE users DROP COLUMN nickname;
