-- the running app version still reads users.nickname
ALTER TABLE users DROP COLUMN nickname;
