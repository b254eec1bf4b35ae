-- migrate:up
SELECT 'â‚