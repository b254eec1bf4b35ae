CREATE TABLE orders (id bigint PRIMARY KEY);
-- no volatility clause: VOLATILE
CREATE FUNCTION random_string(int) RETURNS text LANGUAGE sql AS $$
  SELECT substr(md5(random()::text), 1, $1)
$$;
