-- migrate:no-transaction
VACUUM FULL;
