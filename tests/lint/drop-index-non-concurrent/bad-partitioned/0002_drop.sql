-- there is no concurrent drop for a partitioned table's index: the help says so
DROP INDEX measurements_device_idx;
