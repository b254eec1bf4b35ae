-- migrate:up
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
-- migrate:down
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
CREATE FUNCTION f2() RETURNS text AS $fn$ SELECT $$nested$$ || '-- migrate:up' $fn$ LANGUAGE sql;
-- migrate:down
DROP FUNCTION f2();
DROP FUNCTION touch();
