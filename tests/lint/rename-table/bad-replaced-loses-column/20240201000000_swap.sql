-- the new "tags" has no "color": old code selecting it fails
ALTER TABLE tags RENAME TO tags_old;
CREATE TABLE tags (id bigint PRIMARY KEY, label text NOT NULL);
INSERT INTO tags SELECT id, coalesce(label, '') FROM tags_old;
