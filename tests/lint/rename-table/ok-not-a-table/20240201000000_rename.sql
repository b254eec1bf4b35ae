-- ALTER TABLE also renames indexes, sequences and views: not this rule's
ALTER TABLE t_id_idx RENAME TO t_id_key;
ALTER TABLE t_seq RENAME TO t_id_seq;
ALTER TABLE t_view RENAME TO t_list;
