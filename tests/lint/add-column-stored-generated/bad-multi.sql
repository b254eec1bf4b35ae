-- four generated columns, one rewrite: one finding
ALTER TABLE executions
  ADD COLUMN a jsonb GENERATED ALWAYS AS (attrs -> 'a') STORED,
  ADD COLUMN b text GENERATED ALWAYS AS (attrs ->> 'b') STORED,
  ADD COLUMN note text,
  ADD COLUMN c boolean GENERATED ALWAYS AS ((attrs -> 'c')::boolean) STORED,
  ADD COLUMN d bigint GENERATED ALWAYS AS ((attrs -> 'd')::bigint) STORED;
