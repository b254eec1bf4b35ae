-- lint: --dialect sqlite
-- both tables were created in this script: nothing references them yet
CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT);
CREATE TABLE drafts_new (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
INSERT INTO drafts_new SELECT id, body FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_new RENAME TO drafts;
