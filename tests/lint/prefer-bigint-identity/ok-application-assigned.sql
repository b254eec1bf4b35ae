-- keys the application assigns (shard numbers, codes): nothing consumes
-- them by itself, so they do not run out
CREATE TABLE shards (
  shard_id integer NOT NULL,
  range_id bigint NOT NULL,
  PRIMARY KEY (shard_id)
);
CREATE TABLE queue_metadata (queue_type integer PRIMARY KEY, data bytea);
