-- NOT VALID is refused here before PostgreSQL 18: the help says what to do
ALTER TABLE measurements ADD CONSTRAINT measurements_customer_id_fkey
  FOREIGN KEY (customer_id) REFERENCES customers (id);
