-- migrate:no-transaction
UPDATE users SET (first_name, last_name) = (split_part(name, ' ', 1), split_part(name, ' ', 2));
