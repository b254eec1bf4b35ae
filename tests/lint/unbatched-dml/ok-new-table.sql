CREATE TABLE user_settings (user_id bigint PRIMARY KEY, theme text);
INSERT INTO user_settings (user_id) SELECT id FROM users;
UPDATE user_settings SET theme = 'light';
DELETE FROM user_settings;
