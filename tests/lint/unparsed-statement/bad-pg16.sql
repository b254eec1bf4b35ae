-- lint: --pg-version 16
SELECT * FROM (SELECT 1);
