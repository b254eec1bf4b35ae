-- migrate:up
CREATE TABLE a(x int);
-- migrate:up
CREATE TABLE b(x int);
-- migrate:down
-- migrate:down
