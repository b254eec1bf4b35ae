SET LOCAL lock_timeout = '5s';
CREATE TABLE user_settings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  theme text NOT NULL DEFAULT 'light'
);
INSERT INTO user_settings (theme) VALUES ('light'), ('dark');
ALTER TABLE users ADD COLUMN settings_id bigint;
