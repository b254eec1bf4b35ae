CREATE SEQUENCE scratch_seq;
DROP SEQUENCE scratch_seq;
DROP SEQUENCE invoice_seq;
CREATE SEQUENCE invoice_seq START 1000;
