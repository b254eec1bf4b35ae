-- lint: --pg-version 18
-- the PostgreSQL 18 online form: no scan now, VALIDATE later
ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email NOT VALID;
