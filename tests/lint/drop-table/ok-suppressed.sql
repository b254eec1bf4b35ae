-- migrate:lint-ignore drop-table -- unused since v4.2, privileges revoked in v4.3
DROP TABLE legacy_events;
