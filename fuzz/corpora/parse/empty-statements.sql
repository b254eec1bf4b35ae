;;;
  ;
-- only a comment
;/* c */;
