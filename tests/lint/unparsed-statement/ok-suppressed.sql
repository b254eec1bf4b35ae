-- lint: --pg-version 18
-- migrate:lint-ignore unparsed-statement -- reviewed by hand: PG 18 named NOT NULL
ALTER TABLE users ADD CONSTRAINT users_email_nn NOT NULL email;
