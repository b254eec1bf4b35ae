-- without CASCADE it fails unless empty: a warning
DROP SCHEMA IF EXISTS staging, archive;
