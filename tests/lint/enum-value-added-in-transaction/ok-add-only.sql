-- PostgreSQL 12+: adding in a transaction is fine as long as nothing uses it
ALTER TYPE order_status ADD VALUE 'refunded';
ALTER TYPE order_status ADD VALUE 'chargeback' AFTER 'refunded';
