-- lint: --dialect sqlite
-- migrate:no-transaction
BEGIN;
CREATE TABLE invoices (id INTEGER PRIMARY KEY);
BEGIN IMMEDIATE;
COMMIT;
