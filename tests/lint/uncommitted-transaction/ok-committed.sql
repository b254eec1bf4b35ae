-- migrate:no-transaction
BEGIN;
CREATE TABLE a (id bigint);
COMMIT;
START TRANSACTION;
CREATE TABLE b (id bigint);
END;
BEGIN;
CREATE TABLE c (id bigint);
ROLLBACK;
