-- a new return type needs DROP + CREATE; the name keeps working
DROP FUNCTION order_total(bigint);
CREATE FUNCTION order_total(order_id bigint) RETURNS bigint
LANGUAGE sql STABLE AS $$ SELECT 0::bigint $$;
