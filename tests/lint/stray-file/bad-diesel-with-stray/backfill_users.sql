-- run by hand after deploys; not a migration
CREATE INDEX users_id ON users (id);
