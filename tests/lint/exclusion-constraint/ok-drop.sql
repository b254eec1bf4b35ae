ALTER TABLE room_bookings DROP CONSTRAINT room_bookings_no_overlap;
