-- created earlier in the same script: empty, nobody else sees it
CREATE TABLE import_staging (id bigint, payload jsonb);
INSERT INTO import_staging VALUES (1, '{}');
TRUNCATE import_staging;
