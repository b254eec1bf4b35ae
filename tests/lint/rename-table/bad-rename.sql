ALTER TABLE users RENAME TO accounts;
ALTER TABLE IF EXISTS ONLY billing.invoice RENAME TO invoices;
