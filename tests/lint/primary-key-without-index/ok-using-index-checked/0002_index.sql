-- migrate:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY events_pkey ON events (id);
