ALTER TABLE users RENAME COLUMN name TO full_name;
ALTER TABLE ONLY billing.invoices RENAME total TO amount;
ALTER VIEW active_users RENAME COLUMN name TO full_name;
