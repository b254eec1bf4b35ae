CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);
-- created above: nobody uses it yet, no finding here
CREATE INDEX orders_user_id_idx ON orders (user_id);
