-- migrate:description Create order_status enum and orders table
-- migrate:up
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

-- A new, empty table: its foreign key needs no separate validation step.
CREATE TABLE orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    status      order_status NOT NULL DEFAULT 'pending',
    total_cents bigint NOT NULL CHECK (total_cents >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- migrate:down
DROP TABLE orders;
DROP TYPE order_status;
