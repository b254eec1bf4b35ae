-- the wait for the second table's lock is bounded by lock_timeout
SET LOCAL lock_timeout = '3s';
ALTER TABLE login_flows ADD COLUMN organization_id uuid;
ALTER TABLE registration_flows ADD COLUMN organization_id uuid;
