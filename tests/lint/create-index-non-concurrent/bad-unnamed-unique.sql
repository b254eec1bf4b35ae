SET LOCAL lock_timeout = '5s';
CREATE UNIQUE INDEX ON billing.invoices (number) WHERE deleted_at IS NULL;
