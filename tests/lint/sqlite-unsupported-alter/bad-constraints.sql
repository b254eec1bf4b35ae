-- lint: --dialect sqlite
ALTER TABLE orders ADD CONSTRAINT orders_total_check CHECK (total >= 0);
ALTER TABLE orders DROP CONSTRAINT orders_user_fk;
