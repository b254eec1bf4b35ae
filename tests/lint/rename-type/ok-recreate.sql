-- renamed away to be recreated under the same name (enum-value-removed's case)
ALTER TYPE order_status RENAME TO order_status_old;
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped');
CREATE TYPE mood AS ENUM ('happy');
ALTER TYPE mood RENAME TO feeling;
