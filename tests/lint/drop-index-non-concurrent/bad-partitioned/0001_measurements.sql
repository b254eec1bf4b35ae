CREATE TABLE measurements (device_id bigint, at date) PARTITION BY RANGE (at);
CREATE INDEX measurements_device_idx ON measurements (device_id);
