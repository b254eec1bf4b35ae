CREATE TABLE room_bookings (room_id bigint, during tstzrange);
ALTER TABLE room_bookings ADD CONSTRAINT room_bookings_no_overlap
  EXCLUDE USING gist (room_id WITH =, during WITH &&);
