-- the name keeps resolving: recreated as a table, or kept as a view
DROP TABLE IF EXISTS settings;
CREATE TABLE settings (key text PRIMARY KEY, value text);
DROP TABLE user_prefs;
CREATE VIEW user_prefs AS SELECT key, value FROM settings;
