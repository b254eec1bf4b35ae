-- migrate:up
INSERT INTO notes(body) VALUES (E'it\'s\n-- migrate:down not a marker\\');
INSERT INTO notes(body) VALUES ('it''s
-- migrate:down inside a plain string');
SELECT "odd -- ident"" name" FROM t;
-- migrate:down
DELETE FROM notes;
