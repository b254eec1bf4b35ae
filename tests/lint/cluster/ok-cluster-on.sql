-- only records the index to cluster on: no data moves
ALTER TABLE orders CLUSTER ON orders_created_at_idx;
ALTER TABLE orders SET WITHOUT CLUSTER;
