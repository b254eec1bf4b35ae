-- the runner commits its own transaction (the BEGIN is nested-transaction's finding)
BEGIN;
CREATE TABLE a (id bigint);
