-- rolling back on a live database locks orders just the same
DROP INDEX orders_status_idx;
