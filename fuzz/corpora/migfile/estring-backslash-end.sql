-- migrate:up
SELECT e'\\', E'\'', 'E\';
-- migrate:down
SELECT E'\