-- each statement takes ACCESS EXCLUSIVE on "orders" itself: the table is
-- blocked while it runs whatever came before (set-not-null and
-- column-type-rewrite report them)
ALTER TABLE orders ADD COLUMN placed_on date;
ALTER TABLE orders ALTER COLUMN status SET NOT NULL;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
ALTER TABLE orders ADD CONSTRAINT orders_code_key UNIQUE (code);
