CREATE FUNCTION order_total(order_id bigint) RETURNS numeric
LANGUAGE sql STABLE AS $$ SELECT 0::numeric $$;
