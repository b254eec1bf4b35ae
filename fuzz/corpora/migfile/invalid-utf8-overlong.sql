-- migrate:up
SELECT 'À¯', 'í €', 'ô€€';
