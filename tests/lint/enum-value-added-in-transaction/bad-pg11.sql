-- lint: --pg-version 11
-- before PostgreSQL 12 the ALTER TYPE itself fails in a transaction block
ALTER TYPE order_status ADD VALUE 'refunded';
