-- lint: --dialect sqlite
-- migrate:no-transaction
BEGIN DEFERRED TRANSACTION;
CREATE TABLE a (id INTEGER PRIMARY KEY);
END TRANSACTION;
