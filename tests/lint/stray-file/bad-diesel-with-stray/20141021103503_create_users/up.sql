CREATE TABLE users (id bigint PRIMARY KEY, nickname text);
CREATE INDEX users_nickname ON users (nickname);
