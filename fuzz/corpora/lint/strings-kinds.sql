SELECT E'tab\there\'s', B'1010', X'1F', U&'d\0061t\+000061', N'nat', 'a' 'b'
  'continued', $$dollar$$, $tag$with $$ inside$tag$;
SELECT U&"d!0061t!+000061" UESCAPE '!' FROM t;
