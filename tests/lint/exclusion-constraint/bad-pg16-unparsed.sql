-- lint: --pg-version 16
-- PostgreSQL 16 syntax in the predicate, checked from the tokens
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&) WHERE (meta IS JSON OBJECT);
