-- nobody can use a dropped table: dropping several in a row blocks nothing
DROP TABLE legacy_tokens;
DROP TABLE legacy_sessions;
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
