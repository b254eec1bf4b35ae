-- one finding for the statement, naming both columns
ALTER TABLE shipments
  ADD COLUMN shipped_at timestamp,
  ADD COLUMN delivered_at timestamp without time zone;
