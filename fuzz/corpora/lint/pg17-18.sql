MERGE INTO stock s USING delivery d ON s.item = d.item
  WHEN MATCHED THEN UPDATE SET qty = s.qty + d.qty
  WHEN NOT MATCHED BY SOURCE THEN DELETE RETURNING merge_action(), s.*;
SELECT * FROM JSON_TABLE('[1,2]'::jsonb, '$[*]' COLUMNS (v int PATH '$')) jt;
CREATE TABLE g (a int, b int GENERATED ALWAYS AS (a * 2) VIRTUAL);
ALTER TABLE g ADD CONSTRAINT g_a_nn NOT NULL a NOT VALID;
CREATE TABLE u (id uuid DEFAULT uuidv7(), PRIMARY KEY (id), period tstzrange, UNIQUE (id, period WITHOUT OVERLAPS));
SELECT 1;
