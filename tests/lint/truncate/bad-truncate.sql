-- tables that exist before this migration: every row is deleted
TRUNCATE sessions;
TRUNCATE TABLE ONLY audit.events, login_attempts RESTART IDENTITY;
