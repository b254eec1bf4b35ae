-- migrate:no-transaction
BEGIN;
CREATE TABLE invoices (id bigint PRIMARY KEY);
START TRANSACTION;
CREATE TABLE invoice_lines (id bigint PRIMARY KEY, invoice_id bigint NOT NULL);
COMMIT;
COMMIT;
