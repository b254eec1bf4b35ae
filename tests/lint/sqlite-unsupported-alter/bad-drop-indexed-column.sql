-- lint: --dialect sqlite
CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT UNIQUE, handle TEXT);
CREATE INDEX accounts_handle_idx ON accounts (handle);
ALTER TABLE accounts DROP COLUMN handle;
ALTER TABLE accounts DROP COLUMN email;
