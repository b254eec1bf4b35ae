SELECT a @> b, a <@ b, a ->> 'k', a #>> '{a,b}', a ~~* b, a !~ b, a |/ 2, a <-> b, a && b, -(-1), @-5 FROM t;
