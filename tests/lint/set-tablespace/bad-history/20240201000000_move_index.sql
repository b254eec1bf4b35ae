ALTER INDEX orders_customer_id_idx SET TABLESPACE fast_ssd;
