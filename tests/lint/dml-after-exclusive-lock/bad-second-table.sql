-- without a lock_timeout, the second ALTER can queue behind a long query on
-- registration_flows while login_flows stays locked
ALTER TABLE login_flows ADD COLUMN organization_id uuid;
ALTER TABLE registration_flows ADD COLUMN organization_id uuid;
