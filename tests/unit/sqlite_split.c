/* Unit tests: src/sql/sqlite_split (SQLite's own statement boundaries,
 * syntax errors positioned, schema errors tolerated). */
#include <stdlib.h>

#include "core/xalloc.h"
#include "sql/sqlite_split.h"
#include "test.h"

static int split(const char *text, struct mg_sqlite_split *out, struct mg_err *e,
		 struct mg_source *src)
{
	memset(out, 0, sizeof(*out));
	if (mg_source_adopt(src, "m.sql", mg_xstrdup(text), strlen(text), e))
		return -99;
	return mg_sqlite_split(NULL, src, 0, src->len, out, e);
}

static char *span(const struct mg_source *src, const struct mg_sqlite_split *s,
		  size_t i)
{
	return mg_xstrndup(src->text + s->offs[i], s->ends[i] - s->offs[i]);
}

TEST(test_sqlite_split__statements_and_trigger)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;
	char *t;

	CHECK_INT(split("-- lead\nCREATE TABLE t (a TEXT DEFAULT ';');\n"
			"CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n"
			"  UPDATE t SET a = 'x;y';\n  SELECT 1;\nEND;\n"
			"/* c; */ INSERT INTO [we;ird] VALUES (1)", &s, &e, &src), 0);
	CHECK_INT(s.n, 3);
	t = span(&src, &s, 0);
	CHECK_STR(t, "CREATE TABLE t (a TEXT DEFAULT ';');");
	free(t);
	t = span(&src, &s, 1);
	CHECK(!strncmp(t, "CREATE TRIGGER tr", 17));
	CHECK(strstr(t, "END;") != NULL);
	free(t);
	t = span(&src, &s, 2);
	CHECK_STR(t, "INSERT INTO [we;ird] VALUES (1)");
	free(t);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}

TEST(test_sqlite_split__missing_objects_are_not_errors)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;

	/* the :memory: database has none of these tables */
	CHECK_INT(split("ALTER TABLE users ADD COLUMN x INTEGER;\n"
			"CREATE INDEX i ON orders (user_id);\n"
			"CREATE TRIGGER tr AFTER INSERT ON nope BEGIN SELECT 1; SELECT 2; END;\n"
			"INSERT INTO nope VALUES (1);\n", &s, &e, &src), 0);
	CHECK_INT(s.n, 4);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}

TEST(test_sqlite_split__replayed_ddl_validates_later_statements)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;

	/* t exists after the first statement, so the bad ALTER is parsed
	 * far enough to find its syntax error */
	CHECK_INT(split("CREATE TABLE t (a INT);\nALTER TABLE t ADD COLUMN b INT NOT;\n",
			&s, &e, &src), MG_EINPUT);
	CHECK_STR(e.id, "sql-syntax-error");
	CHECK_INT(e.line, 2);
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}

/* split with a splitter kept across scripts, as `up` keeps one across
 * the migrations it plans */
static int split_with(struct mg_sqlite_splitter *sp, const char *text,
		      struct mg_sqlite_split *out, struct mg_err *e)
{
	struct mg_source src;
	int rc;

	memset(out, 0, sizeof(*out));
	if (mg_source_adopt(&src, "m.sql", mg_xstrdup(text), strlen(text), e))
		return -99;
	rc = mg_sqlite_split(sp, &src, 0, src.len, out, e);
	mg_source_release(&src);
	return rc;
}

TEST(test_sqlite_split__ddl_of_an_earlier_script_is_replayed_when_needed)
{
	struct mg_sqlite_splitter *sp = mg_sqlite_splitter_new();
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;

	/* the table comes from the first script; the second's syntax error
	 * is found only with it in place (the ALTER fails on "no such table"
	 * before the parser reaches NOT otherwise) */
	CHECK_INT(split_with(sp, "CREATE TABLE t (a INT);\n", &s, &e), 0);
	mg_sqlite_split_release(&s);
	CHECK_INT(split_with(sp, "CREATE TABLE u (a INT);\n", &s, &e), 0);
	mg_sqlite_split_release(&s);
	CHECK_INT(split_with(sp, "ALTER TABLE t ADD COLUMN b INT NOT;\n", &s, &e), MG_EINPUT);
	CHECK_STR(e.id, "sql-syntax-error");
	CHECK_INT(e.line, 1);
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	/* replayed in order: a column added, then used by an index whose
	 * statement boundaries (and a later syntax error) still come out */
	CHECK_INT(split_with(sp, "ALTER TABLE u ADD COLUMN c INT;\n"
				 "CREATE INDEX ui ON u (c);\n"
				 "CREATE TRIGGER tr AFTER INSERT ON u BEGIN SELECT 1; END;\n",
			     &s, &e), 0);
	CHECK_INT(s.n, 3);
	mg_sqlite_split_release(&s);
	CHECK_INT(split_with(sp, "DROP INDEX ui;\nDROP TRIGGER tr;\n"
				 "CREATE INDEX ui2 ON u (c) WHERE c >;\n", &s, &e), MG_EINPUT);
	CHECK_INT(e.line, 3);
	CHECK_INT(s.n, 2);
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	mg_sqlite_splitter_free(sp);
}

TEST(test_sqlite_split__syntax_error_position)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(split("CREATE TABLE a (x INT);\n\nCREATE TABEL b (x INT);\n", &s, &e, &src),
		  MG_EINPUT);
	CHECK_STR(e.id, "sql-syntax-error");
	CHECK_STR(e.file, "m.sql");
	CHECK_INT(e.line, 3);
	CHECK_INT(e.col, 8);
	CHECK_CONTAINS(e.msg, "TABEL");
	CHECK_INT(s.n, 1);
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}

TEST(test_sqlite_split__incomplete_and_unrecognized)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(split("CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1;", &s, &e, &src),
		  MG_EINPUT);
	CHECK_CONTAINS(e.msg, "incomplete input");
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
	CHECK_INT(split("SELECT 1;\nSELECT #;", &s, &e, &src), MG_EINPUT);
	CHECK_CONTAINS(e.msg, "unrecognized token");
	CHECK_INT(e.line, 2);
	CHECK_INT(e.col, 8);
	mg_err_release(&e);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}

TEST(test_sqlite_split__range_of_a_section)
{
	struct mg_source src;
	struct mg_sqlite_split s;
	struct mg_err e = MG_ERR_INIT;
	const char *t = "-- migrate:up\nCREATE TABLE a (x);\n-- migrate:down\nDROP TABLE a;\n";
	size_t down = (size_t)(strstr(t, "-- migrate:down") - t);

	memset(&s, 0, sizeof(s));
	CHECK_INT(mg_source_adopt(&src, "m.sql", mg_xstrdup(t), strlen(t), &e), 0);
	CHECK_INT(mg_sqlite_split(NULL, &src, 0, down, &s, &e), 0);
	CHECK_INT(s.n, 1);
	CHECK_INT(s.ends[0], (long long)(strstr(t, ");") - t + 2));
	mg_sqlite_split_release(&s);
	/* only comments and blanks: no statements */
	CHECK_INT(mg_sqlite_split(NULL, &src, down, down + 16, &s, &e), 0);
	CHECK_INT(s.n, 0);
	mg_sqlite_split_release(&s);
	mg_source_release(&src);
}
