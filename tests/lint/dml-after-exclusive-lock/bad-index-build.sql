ALTER TABLE events ADD COLUMN tenant_id bigint;
CREATE INDEX events_tenant_id_idx ON events (tenant_id);
