CREATE TABLE t (id bigint);
CREATE INDEX t_id_idx ON t (id);
CREATE SEQUENCE t_seq;
CREATE VIEW t_view AS SELECT id FROM t;
