-- migrate:no-transaction
-- a retry fails at CREATE TABLE before it reaches the index
CREATE TABLE audit_log (id bigint, at timestamptz);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_at_idx ON audit_log (at);
