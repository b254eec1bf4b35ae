-- queries on recent_downloads wait while the new one is computed
DROP MATERIALIZED VIEW recent_downloads;
CREATE MATERIALIZED VIEW recent_downloads AS
  SELECT crate_id, sum(downloads) AS downloads FROM version_downloads GROUP BY crate_id;
