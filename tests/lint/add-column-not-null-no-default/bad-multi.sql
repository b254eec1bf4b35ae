ALTER TABLE users
  ADD COLUMN nickname text,
  ADD COLUMN locale text NOT NULL DEFAULT 'en',
  ADD COLUMN country text CONSTRAINT users_country_nn NOT NULL;
