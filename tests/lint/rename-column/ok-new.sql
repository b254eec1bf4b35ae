CREATE TABLE accounts (id bigint PRIMARY KEY, nm text);
ALTER TABLE accounts RENAME COLUMN nm TO name;
ALTER TABLE users ADD COLUMN fullname text;
ALTER TABLE users RENAME COLUMN fullname TO full_name;
