-- lint: --dialect sqlite
-- migrate:no-transaction
BEGIN IMMEDIATE;
CREATE TABLE invoices (id INTEGER PRIMARY KEY);
COMMIT;
