-- PostgreSQL 16 syntax, but the target is the default (15)
SELECT * FROM (SELECT 1);
