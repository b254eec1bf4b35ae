ALTER TABLE orders ADD COLUMN seq bigserial;
ALTER TABLE orders ADD COLUMN small_seq smallserial;
