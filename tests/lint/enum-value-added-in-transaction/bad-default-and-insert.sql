ALTER TYPE public.ticket_state ADD VALUE IF NOT EXISTS 'triaged' AFTER 'open';
ALTER TABLE tickets ALTER COLUMN state SET DEFAULT 'triaged';
INSERT INTO tickets (title, state) VALUES ('x', 'triaged');
SELECT count(*) FROM tickets WHERE state = 'triaged'::ticket_state;
