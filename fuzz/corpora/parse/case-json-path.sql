SELECT CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, jsonb_path_query(j, '$.a[*] ? (@ > 1)'), ARRAY[1,2][1:2], ROW(1,'a')::pair FROM t;
