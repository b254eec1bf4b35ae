UPDATE users SET locale = 'en' WHERE locale IS NULL AND id BETWEEN 1 AND 5000;
DELETE FROM sessions WHERE expires_at < now();
UPDATE users SET email = lower(email) WHERE id IN (SELECT id FROM users WHERE email <> lower(email) LIMIT 1000);
