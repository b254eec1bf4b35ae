-- migrate:no-transaction
CREATE TYPE mood AS ENUM ('hapy');
ALTER TYPE mood RENAME VALUE 'hapy' TO 'happy';
ALTER TYPE order_status ADD VALUE 'canceld';
ALTER TYPE order_status RENAME VALUE 'canceld' TO 'cancelled';
