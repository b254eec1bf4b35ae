-- migrate:up
SELECT $1, $1abc$ x $1abc$, a$b$c, $_$ q $_$;
-- migrate:down
