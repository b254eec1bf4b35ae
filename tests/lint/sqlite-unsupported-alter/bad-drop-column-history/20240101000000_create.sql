CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL, handle TEXT);
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
