-- migrate:no-transaction please
-- migrate:up
SELECT 1;
