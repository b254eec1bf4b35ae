-- no history: an unknown table is treated as existing and populated
DROP TABLE legacy_events;
DROP TABLE IF EXISTS audit.old_log, sessions CASCADE;
