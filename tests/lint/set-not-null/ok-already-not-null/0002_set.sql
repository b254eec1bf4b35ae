-- already NOT NULL (and id is the primary key): nothing to check
ALTER TABLE users ALTER COLUMN email SET NOT NULL, ALTER COLUMN id SET NOT NULL;
