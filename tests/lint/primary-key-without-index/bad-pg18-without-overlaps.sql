-- lint: --pg-version 18
-- PostgreSQL 18 syntax, checked from the tokens
ALTER TABLE bookings ADD PRIMARY KEY (room_id, during WITHOUT OVERLAPS);
