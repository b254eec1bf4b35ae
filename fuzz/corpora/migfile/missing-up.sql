CREATE TABLE t(x int);
-- not a marker: migrate:up
