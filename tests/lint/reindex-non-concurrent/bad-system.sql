-- migrate:no-transaction
REINDEX SYSTEM app;
