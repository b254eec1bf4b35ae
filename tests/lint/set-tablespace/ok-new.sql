CREATE TABLE archive_2024 (id bigint, body text);
CREATE INDEX archive_2024_id_idx ON archive_2024 (id);
ALTER TABLE archive_2024 SET TABLESPACE archive;
ALTER INDEX archive_2024_id_idx SET TABLESPACE archive;
