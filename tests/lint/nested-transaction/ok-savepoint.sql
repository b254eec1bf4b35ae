SAVEPOINT before_backfill;
UPDATE settings SET value = 'on' WHERE name = 'x';
RELEASE SAVEPOINT before_backfill;
