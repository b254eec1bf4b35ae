DELETE FROM audit_log;
DELETE FROM ONLY public.events USING users;
