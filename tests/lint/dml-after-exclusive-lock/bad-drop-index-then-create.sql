-- the DROP INDEX locks version_downloads until COMMIT, the rebuild scans it
DROP INDEX version_downloads_date_idx;
CREATE INDEX version_downloads_date_brin ON version_downloads USING brin (date);
