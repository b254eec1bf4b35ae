ALTER TYPE order_status RENAME VALUE 'canceled' TO 'cancelled';
UPDATE audit SET note = 'cancelled' WHERE id = 1;
