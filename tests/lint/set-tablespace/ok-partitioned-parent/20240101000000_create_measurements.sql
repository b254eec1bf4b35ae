CREATE TABLE measurements (at timestamptz NOT NULL, value float8) PARTITION BY RANGE (at);
