-- migrate:no-transaction
CLUSTER;
