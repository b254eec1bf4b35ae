-- rename the old table away, recreate, copy, drop the old copy
ALTER TABLE tags RENAME TO tags_old;
CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL);
INSERT INTO tags SELECT id, coalesce(label, '') FROM tags_old;
DROP TABLE tags_old;
