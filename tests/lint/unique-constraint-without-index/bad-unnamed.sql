ALTER TABLE users ADD UNIQUE (tenant_id, email);
