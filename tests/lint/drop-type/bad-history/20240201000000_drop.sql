DROP TYPE order_status;
DROP TYPE address CASCADE;
