ALTER TABLE artifacts ADD COLUMN digest text;
DO $$
BEGIN
  UPDATE artifacts SET digest = md5(name);
END
$$;
