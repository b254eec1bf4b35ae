CREATE TABLE orders (id bigint PRIMARY KEY);
CREATE FUNCTION current_tenant() RETURNS text STABLE LANGUAGE sql AS $$
  SELECT current_setting('app.tenant')
$$;
