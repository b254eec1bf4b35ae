CREATE TABLE sessions (id bigint PRIMARY KEY, created_at timestamp NOT NULL);
