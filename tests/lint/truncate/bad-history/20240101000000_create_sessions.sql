CREATE TABLE sessions (id bigint PRIMARY KEY, expires_at timestamptz);
