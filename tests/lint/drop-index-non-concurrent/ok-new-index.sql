-- created and dropped in the same migration: nobody used it
CREATE INDEX orders_tmp_idx ON orders (status);
DROP INDEX orders_tmp_idx;
