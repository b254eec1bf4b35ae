CREATE TABLE order_notes (id bigint, body text);
LOCK TABLE order_notes;
