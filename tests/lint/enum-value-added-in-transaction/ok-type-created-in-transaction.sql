-- lint: --pg-version 11
-- the type is new in this transaction: both the ADD and the use are allowed
CREATE TYPE shipment_state AS ENUM ('pending', 'shipped');
ALTER TYPE shipment_state ADD VALUE 'lost';
CREATE TABLE shipments (id bigint, state shipment_state NOT NULL DEFAULT 'lost');
