ALTER TYPE shop.order_status RENAME VALUE 'canceled' TO 'cancelled';
