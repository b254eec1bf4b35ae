DROP VIEW active_users;
DROP INDEX users_email_idx;
DROP SEQUENCE users_id_seq;
ALTER TABLE users DROP COLUMN nickname;
