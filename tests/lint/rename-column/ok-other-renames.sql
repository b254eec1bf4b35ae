ALTER TABLE users RENAME CONSTRAINT users_email_key TO users_email_unique;
ALTER INDEX users_email_idx RENAME TO users_email_key;
