-- lint: --dialect sqlite
UPDATE users SET locale = 'en';
UPDATE OR IGNORE users SET email = lower(email);
