PREPARE p(int) AS SELECT $1 + $2::int;
EXECUTE p(1);
SELECT $$a$$ || $1;
