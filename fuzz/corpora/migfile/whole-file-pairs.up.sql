CREATE TABLE t (id int);
-- migrate:no-transaction
-- migrate:lint-ignore-file ban-drop-column
