CREATE SCHEMA staging;
ALTER SCHEMA staging RENAME TO import_staging;
