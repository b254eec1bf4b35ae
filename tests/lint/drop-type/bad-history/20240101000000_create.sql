CREATE TYPE order_status AS ENUM ('pending', 'paid');
CREATE TYPE address AS (street text, city text);
