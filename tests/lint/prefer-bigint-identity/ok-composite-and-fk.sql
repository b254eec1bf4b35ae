-- a join table: its key columns must match the keys they reference
CREATE TABLE widget_tags (
  widget_id integer NOT NULL REFERENCES widgets (id),
  tag_id integer NOT NULL REFERENCES tags (id),
  PRIMARY KEY (widget_id, tag_id)
);
-- a 1:1 extension table: the key is a foreign key to an integer key
CREATE TABLE widget_details (
  widget_id integer PRIMARY KEY REFERENCES widgets (id),
  notes text
);
CREATE TABLE gadget_details (
  gadget_id integer NOT NULL,
  notes text,
  PRIMARY KEY (gadget_id),
  FOREIGN KEY (gadget_id) REFERENCES gadgets (id)
);
-- not a key
CREATE TABLE counters (name text PRIMARY KEY, value integer NOT NULL);
