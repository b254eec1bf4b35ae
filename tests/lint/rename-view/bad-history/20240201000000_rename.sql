-- ALTER TABLE works on views too; the catalog knows this one is a view
ALTER TABLE active_customers RENAME TO current_customers;
