-- the rewrite of "payments" runs while "orders" stays locked from line 3
ALTER TABLE orders ADD COLUMN placed_on date;
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
ALTER TABLE payments ALTER COLUMN amount TYPE bigint;
