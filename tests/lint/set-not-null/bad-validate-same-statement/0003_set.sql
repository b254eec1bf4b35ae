-- one ALTER TABLE: the validation scan runs under SET NOT NULL's ACCESS EXCLUSIVE
ALTER TABLE users
  VALIDATE CONSTRAINT users_email_not_null,
  ALTER COLUMN email SET NOT NULL;
