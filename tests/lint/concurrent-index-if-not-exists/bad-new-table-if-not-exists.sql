-- migrate:no-transaction
-- a failed run leaves both behind, and both IF NOT EXISTS skip on the retry
CREATE TABLE IF NOT EXISTS audit_log (id bigint, at timestamptz);
CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_log_at_idx ON audit_log (at);
