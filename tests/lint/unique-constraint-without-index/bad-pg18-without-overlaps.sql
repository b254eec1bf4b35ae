-- lint: --pg-version 18
-- PostgreSQL 18 syntax, checked from the tokens
ALTER TABLE bookings ADD CONSTRAINT bookings_room_during_key UNIQUE (room_id, during WITHOUT OVERLAPS);
