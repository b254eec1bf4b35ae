CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);
ALTER TABLE refunds ADD CONSTRAINT refunds_order_id_fkey
  FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
ALTER TABLE refunds VALIDATE CONSTRAINT refunds_order_id_fkey;
