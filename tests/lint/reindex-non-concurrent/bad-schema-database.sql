-- migrate:no-transaction
REINDEX SCHEMA billing;
REINDEX DATABASE app;
