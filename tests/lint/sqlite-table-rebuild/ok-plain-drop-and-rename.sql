-- lint: --dialect sqlite
-- not a rebuild: a different table takes a new name
DROP TABLE old_sessions;
ALTER TABLE sessions RENAME TO user_sessions;
