CREATE TABLE measurements (device_id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE measurements_2019 PARTITION OF measurements FOR VALUES FROM ('2019-01-01') TO ('2020-01-01');
