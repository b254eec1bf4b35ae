-- lint: --pg-version 18
-- PostgreSQL 18 syntax, checked from the tokens: scans like SET NOT NULL
ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email;
