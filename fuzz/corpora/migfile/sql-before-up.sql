CREATE TABLE early(x int);
-- migrate:up
CREATE TABLE t(x int);
