REINDEX TABLE orders;
REINDEX (VERBOSE) TABLE billing.invoices;
