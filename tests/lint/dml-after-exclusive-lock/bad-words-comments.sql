-- The statements are named by their leading keywords whatever their case
-- and the comments between them.
alter /* first */ table "users" alter column email set not null;
Create
  -- a unique index
  Unique Index users_email_key on users (email);
