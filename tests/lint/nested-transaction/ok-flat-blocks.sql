-- migrate:no-transaction
BEGIN;
CREATE TABLE invoices (id bigint PRIMARY KEY);
COMMIT;
BEGIN;
CREATE TABLE invoice_lines (id bigint PRIMARY KEY);
COMMIT;
