-- lint: --dialect sqlite
-- migrate:no-transaction
BEGIN;
PRAGMA main.foreign_keys = false;
CREATE TABLE t_new (id INTEGER PRIMARY KEY);
COMMIT;
PRAGMA foreign_keys(ON);
BEGIN;
PRAGMA foreign_keys = 0;
COMMIT;
