CREATE TABLE import_scratch (id bigint, raw text);
INSERT INTO import_scratch VALUES (1, 'x');
DROP TABLE import_scratch;
CREATE TEMP TABLE tmp_ids (id bigint);
DROP TABLE tmp_ids;
