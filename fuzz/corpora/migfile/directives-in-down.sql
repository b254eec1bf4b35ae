-- migrate:up
CREATE TABLE t(x int);
-- migrate:down
-- migrate:no-transaction
-- migrate:lint-ignore ban-drop-table -- down migrations drop things
DROP TABLE t;
-- migrate:description late description
