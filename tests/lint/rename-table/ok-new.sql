CREATE TABLE users_new (id bigint PRIMARY KEY);
ALTER TABLE users_new RENAME TO users_v2;
