ALTER TYPE order_status RENAME TO order_state;
ALTER DOMAIN billing.email RENAME TO email_address;
