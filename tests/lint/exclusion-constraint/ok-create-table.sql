CREATE TABLE room_bookings (
  room_id bigint NOT NULL,
  during tstzrange NOT NULL,
  CONSTRAINT room_bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
