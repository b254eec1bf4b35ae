ALTER TYPE order_status ADD VALUE 'refunded';
-- the body is a string that runs later, after COMMIT
CREATE FUNCTION refund(o bigint) RETURNS void LANGUAGE sql AS $$
  UPDATE orders SET status = 'refunded' WHERE id = o;
$$;
