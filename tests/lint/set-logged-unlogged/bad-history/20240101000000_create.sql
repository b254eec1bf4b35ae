CREATE UNLOGGED TABLE import_staging (id bigint, payload jsonb);
