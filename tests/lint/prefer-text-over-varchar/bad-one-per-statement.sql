-- one finding for the statement, naming both columns
ALTER TABLE accounts
  ADD COLUMN country_code varchar(2),
  ADD COLUMN vat_id varchar(20);
