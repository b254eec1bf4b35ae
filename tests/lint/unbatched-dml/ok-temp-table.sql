CREATE TEMP TABLE tmp_ids (id bigint);
UPDATE tmp_ids SET id = id + 1;
