ALTER TABLE billing.invoices
    DROP COLUMN legacy_code,
    ADD COLUMN note text,
    DROP COLUMN IF EXISTS "Old Name" CASCADE;
