-- migrate:no-transaction
DROP DATABASE analytics;
