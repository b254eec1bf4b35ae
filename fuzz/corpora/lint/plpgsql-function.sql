CREATE OR REPLACE FUNCTION audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
DECLARE
  q text := $q$SELECT ';' -- not the end$q$;
BEGIN
  INSERT INTO audit_log(tbl, op, row) VALUES (TG_TABLE_NAME, TG_OP, to_jsonb(NEW));
  RETURN NEW;
END;
$fn$;
CREATE TRIGGER orders_audit AFTER INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION audit();
DO $$ BEGIN RAISE NOTICE 'done; really'; END $$;
