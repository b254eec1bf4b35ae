-- lint: --pg-version 13
-- no concurrent form before PostgreSQL 14
ALTER TABLE measurements DETACH PARTITION measurements_2019;
