-- migrate:up
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, nickname text);

-- migrate:down
DROP TABLE users;
