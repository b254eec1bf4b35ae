-- migrate:no-transaction
CREATE INDEX CONCURRENTLY orders_customer_id_idx2 ON orders (customer_id) TABLESPACE fast_ssd;
