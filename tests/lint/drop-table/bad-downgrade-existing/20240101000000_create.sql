-- migrate:up
CREATE TABLE users (id bigint PRIMARY KEY);
CREATE TABLE accounts (id bigint PRIMARY KEY);

-- migrate:down
DROP TABLE accounts;
DROP TABLE users;
