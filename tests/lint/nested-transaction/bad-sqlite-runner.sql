-- lint: --dialect sqlite
-- SQLite refuses the BEGIN: the runner already opened a transaction
BEGIN TRANSACTION;
CREATE TABLE invoices (id INTEGER PRIMARY KEY);
COMMIT;
