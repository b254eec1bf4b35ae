DROP TYPE order_status;
DROP DOMAIN email_address CASCADE;
DROP TYPE IF EXISTS billing.currency, money_pair;
