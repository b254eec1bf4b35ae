DROP INDEX IF EXISTS orders_a_idx, billing.orders_b_idx;
