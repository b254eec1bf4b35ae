ALTER TABLE public.orders
  ADD CONSTRAINT orders_status_check CHECK (status <> '') NOT VALID,
  VALIDATE CONSTRAINT orders_status_check;
