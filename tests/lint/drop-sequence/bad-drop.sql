DROP SEQUENCE invoice_number_seq;
DROP SEQUENCE IF EXISTS billing.order_seq, ticket_seq CASCADE;
