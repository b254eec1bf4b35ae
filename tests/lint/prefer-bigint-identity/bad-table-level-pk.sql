CREATE TABLE tags (
  id int4 NOT NULL,
  name text NOT NULL,
  CONSTRAINT tags_pkey PRIMARY KEY (id)
);
