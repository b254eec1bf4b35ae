-- migrate:description Index orders by customer and date for the order history page
-- migrate:up
CREATE INDEX orders_user_id_created_at_idx ON orders (user_id, created_at);

-- migrate:down
DROP INDEX orders_user_id_created_at_idx;
