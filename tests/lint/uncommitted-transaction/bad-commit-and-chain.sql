-- migrate:no-transaction
BEGIN;
CREATE TABLE a (id bigint);
-- AND CHAIN starts a new transaction right away
COMMIT AND CHAIN;
CREATE TABLE b (id bigint);
