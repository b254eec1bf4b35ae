ALTER TABLE room_bookings ADD EXCLUDE USING gist (during WITH &&) WHERE (NOT cancelled);
