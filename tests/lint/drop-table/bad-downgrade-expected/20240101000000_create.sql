-- migrate:up
CREATE TABLE users (id bigint PRIMARY KEY);

-- migrate:down
-- the matching upgrade created it: reported as info only
DROP TABLE users;
