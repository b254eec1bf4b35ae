-- a partitioned parent has no storage: only the default for new partitions changes
CREATE TABLE measurements (at timestamptz NOT NULL, value float8) PARTITION BY RANGE (at);
