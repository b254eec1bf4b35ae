-- lint: --dialect sqlite
CREATE TABLE import_scratch (id INTEGER PRIMARY KEY AUTOINCREMENT, raw TEXT);
DROP TABLE import_scratch;
