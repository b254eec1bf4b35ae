-- the second ALTER only queues (a warning); the UPDATE then holds both tables
-- for its whole run, which stays an error
ALTER TABLE accounts ADD COLUMN region text;
ALTER TABLE invoices ADD COLUMN region text;
UPDATE accounts SET region = 'eu' WHERE region IS NULL;
