-- migrate:description PostgreSQL 16-18 syntax the 15 grammar does not know
-- migrate:up
CREATE TABLE events (
    id uuid DEFAULT uuidv7() PRIMARY KEY,
    total numeric,
    doubled numeric GENERATED ALWAYS AS (total * 2) VIRTUAL
);
ALTER TABLE orders ADD CONSTRAINT orders_user_nn NOT NULL user_id NOT VALID;
ALTER TABLE orders ALTER CONSTRAINT orders_user_fk NOT ENFORCED;
MERGE INTO stock s USING delivery d ON s.item = d.item
  WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty
  WHEN NOT MATCHED BY SOURCE THEN DELETE
  RETURNING merge_action(), s.*;
SELECT * FROM JSON_TABLE('[1,2]'::jsonb, '$[*]' COLUMNS (v int PATH '$')) jt;
COPY t FROM STDIN WITH (ON_ERROR ignore, LOG_VERBOSITY verbose);
GRANT pg_read_all_data TO app WITH INHERIT TRUE, SET FALSE;
-- migrate:down
DROP TABLE events;
