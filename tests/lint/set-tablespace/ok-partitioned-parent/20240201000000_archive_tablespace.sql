-- a partitioned parent has no storage: only the default for future
-- partitions changes, nothing is copied
ALTER TABLE measurements SET TABLESPACE archive;
