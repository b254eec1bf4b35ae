-- lint: --dialect sqlite
UPDATE OR IGNORE users SET email = lower(email) WHERE id BETWEEN 1 AND 10000;
DELETE FROM sessions WHERE expires_at < strftime('%s', 'now') LIMIT 1000;
