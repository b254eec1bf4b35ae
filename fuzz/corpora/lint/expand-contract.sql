-- expand
ALTER TABLE users ADD COLUMN email_verified boolean;
ALTER TABLE users ALTER COLUMN email_verified SET DEFAULT false;
UPDATE users SET email_verified = false WHERE email_verified IS NULL;
ALTER TABLE users ADD CONSTRAINT users_ev_nn CHECK (email_verified IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_ev_nn;
ALTER TABLE users ALTER COLUMN email_verified SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_ev_nn;
