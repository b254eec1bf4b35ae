-- a trigger function dropped with its trigger: the app cannot call it
DROP TRIGGER trigger_set_updated_at ON crates;
DROP FUNCTION set_updated_at();
