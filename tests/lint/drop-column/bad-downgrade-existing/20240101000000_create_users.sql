-- migrate:up
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);

-- migrate:down
DROP TABLE users;
