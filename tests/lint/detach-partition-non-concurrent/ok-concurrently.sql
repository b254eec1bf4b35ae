-- migrate:no-transaction
ALTER TABLE measurements DETACH PARTITION measurements_2019 CONCURRENTLY;
ALTER TABLE measurements DETACH PARTITION measurements_2019 FINALIZE;
