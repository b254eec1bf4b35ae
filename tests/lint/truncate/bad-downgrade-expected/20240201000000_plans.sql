-- migrate:up
CREATE TABLE plans (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO plans VALUES (1, 'free');

-- migrate:down
-- emptying what the upgrade created is expected: reported as info only
TRUNCATE plans;
DROP TABLE plans;
