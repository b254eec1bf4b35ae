CREATE TABLE invoices (id bigint PRIMARY KEY, total bigint);
ALTER TABLE invoices ADD COLUMN currency text;
UPDATE invoices SET currency = 'EUR';
CREATE INDEX invoices_currency_idx ON invoices (currency);
