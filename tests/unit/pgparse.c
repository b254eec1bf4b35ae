/* Unit tests: src/sql/pgparse and pgscan. */
#include <stdlib.h>
#include <string.h>

#include "sql/pgparse.h"
#include "sql/pgscan.h"
#include "test.h"

TEST(test_pgparse__spans_skip_leading_comments)
{
	const char *t = "-- c\nCREATE TABLE a(x int);\n\nALTER TABLE a ADD b int ;";
	struct mg_parse p;

	mg_pg_parse(t, 0, strlen(t), &p);
	CHECK(p.ok);
	CHECK_INT(p.n, 2);
	CHECK_INT(p.stmts[0].off, 5);
	CHECK_INT(p.stmts[0].end, 5 + 22);
	CHECK_STR(p.stmts[0].kind, "CreateStmt");
	CHECK_STR(p.stmts[1].kind, "AlterTableStmt");
	CHECK_INT(t[p.stmts[1].end - 1], ';');
	mg_parse_release(&p);
}

TEST(test_pgparse__syntax_error_keeps_other_statements)
{
	const char *t = "SELECT 1;\nALTER TABLE é ADD c int CONSTRAINT n NOT NULL bogus;\nSELECT 2;";
	struct mg_parse p;

	mg_pg_parse(t, 0, strlen(t), &p);
	CHECK(!p.ok);
	CHECK_INT(p.n, 3);
	CHECK(p.stmts[0].tree != NULL);
	CHECK(p.stmts[1].tree == NULL);
	CHECK_CONTAINS(p.stmts[1].error, "bogus");
	CHECK(strncmp(t + p.stmts[1].error_off, "bogus", 5) == 0);
	CHECK(p.stmts[2].tree != NULL);
	mg_parse_release(&p);
}

TEST(test_pgparse__offset_range_and_split)
{
	const char *t = "xxxx CREATE INDEX CONCURRENTLY i ON t(a); DROP INDEX CONCURRENTLY j;";
	size_t *spans;
	char *err = NULL;
	size_t eo;
	long n = mg_pg_split(t, 5, strlen(t), &spans, &err, &eo);

	CHECK_INT(n, 2);
	CHECK_INT(spans[0], 5);
	CHECK(strncmp(t + spans[2], "DROP", 4) == 0);
	free(spans);
}

TEST(test_pgparse__split_keeps_keywordless_statements)
{
	/* libpg_query's splitter starts statements at keywords only; text of
	 * identifiers and constants alone must still be a statement */
	const char *t = "PRAGMA foreign_keys = 0;\nCREATE TABLE a(x int);\n"
			"foo; bar 'x;y';\nDROP TABLE a;\nPRAGMA foreign_keys = 1";
	size_t *spans;
	char *err = NULL;
	size_t eo;
	long n = mg_pg_split(t, 0, strlen(t), &spans, &err, &eo);
	struct mg_parse p;

	CHECK_INT(n, 6);
	CHECK(strncmp(t + spans[0], "PRAGMA foreign_keys = 0;", 24) == 0);
	CHECK_INT(spans[1], 24);
	CHECK(strncmp(t + spans[2], "CREATE", 6) == 0);
	CHECK(strncmp(t + spans[4], "foo;", spans[5] - spans[4]) == 0);
	CHECK(strncmp(t + spans[6], "bar 'x;y';", spans[7] - spans[6]) == 0);
	CHECK(strncmp(t + spans[8], "DROP", 4) == 0);
	CHECK(strncmp(t + spans[10], "PRAGMA foreign_keys = 1", 23) == 0);
	CHECK_INT(spans[11], strlen(t));
	free(spans);

	/* and the parse's fallback reports each as a statement with an error */
	mg_pg_parse(t, 0, strlen(t), &p);
	CHECK(!p.ok);
	CHECK_INT(p.n, 6);
	CHECK(p.stmts[0].tree == NULL && p.stmts[0].error != NULL);
	CHECK(p.stmts[1].tree != NULL);
	mg_parse_release(&p);
}

TEST(test_pgscan__tokens_and_keywords)
{
	const char *t = "ALTER TABLE t ADD COLUMN c int NOT NULL; -- x";
	struct mg_token *tok;
	long n = mg_pg_scan(t, 0, strlen(t), &tok);

	CHECK(n == 10);
	CHECK(mg_token_is(t, &tok[0], "ALTER"));
	CHECK(tok[0].keyword_kind > 0);
	CHECK_INT(tok[2].token, MG_TOK_IDENT);
	CHECK_INT(tok[9].token, MG_TOK_SEMICOLON);
	free(tok);
}
