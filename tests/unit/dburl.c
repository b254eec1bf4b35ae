/* Unit tests: src/db/dburl (URL forms, redaction, scrubbing). */
#include <stdlib.h>

#include "db/dburl.h"
#include "test.h"

TEST(test_dburl__postgres_forms)
{
	struct mg_dburl u;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(mg_dburl_parse(&u, "postgres://app@db.example/shop?sslmode=require", &e), 0);
	CHECK_INT(u.dialect, MG_DIALECT_PG);
	CHECK_STR(u.conninfo, "postgres://app@db.example/shop?sslmode=require");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "postgresql:///shop?host=/tmp/sock", &e), 0);
	CHECK_INT(u.dialect, MG_DIALECT_PG);
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "host=localhost dbname=shop user=app", &e), 0);
	CHECK_INT(u.dialect, MG_DIALECT_PG);
	CHECK_STR(u.conninfo, "host=localhost dbname=shop user=app");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "PostgreSQL://x/y", &e), 0);
	CHECK_INT(u.dialect, MG_DIALECT_PG);
	mg_dburl_release(&u);
}

TEST(test_dburl__sqlite_forms)
{
	struct mg_dburl u;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(mg_dburl_parse(&u, "sqlite:db/app.db", &e), 0);
	CHECK_INT(u.dialect, MG_DIALECT_SQLITE);
	CHECK_STR(u.path, "db/app.db");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "sqlite:///var/lib/app.db", &e), 0);
	CHECK_STR(u.path, "/var/lib/app.db");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "sqlite:/abs.db", &e), 0);
	CHECK_STR(u.path, "/abs.db");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "sqlite::memory:", &e), 0);
	CHECK_STR(u.path, ":memory:");
	mg_dburl_release(&u);
	CHECK_INT(mg_dburl_parse(&u, "sqlite3:x.db", &e), 0);
	CHECK_STR(u.path, "x.db");
	mg_dburl_release(&u);
}

TEST(test_dburl__errors_never_show_password)
{
	struct mg_dburl u;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(mg_dburl_parse(&u, "mysql://root:s3cr3t-pass@h/db", &e), MG_ECONFIG);
	CHECK_STR(e.id, "bad-database-url");
	CHECK(!strstr(e.msg, "s3cr3t-pass"));
	CHECK_CONTAINS(e.msg, "mysql://root:****@h/db");
	mg_err_release(&e);
	CHECK_INT(mg_dburl_parse(&u, "", &e), MG_ECONFIG);
	CHECK_STR(e.id, "missing-database-url");
	CHECK(e.hint != NULL);
	mg_err_release(&e);
	CHECK_INT(mg_dburl_parse(&u, "sqlite:", &e), MG_ECONFIG);
	mg_err_release(&e);
}

TEST(test_dburl__redact)
{
	struct { const char *in, *out; } cases[] = {
		{ "postgres://u:s3cr3t-pass@h:5432/db", "postgres://u:****@h:5432/db" },
		{ "postgres://u@h/db", "postgres://u@h/db" },
		{ "postgres://u:p%40ss@h/db?sslmode=disable", "postgres://u:****@h/db?sslmode=disable" },
		{ "postgres://u:pa@ss@h/db", "postgres://u:****@h/db" },
		{ "postgresql:///db?user=u&password=s3cr3t&host=/tmp",
		  "postgresql:///db?user=u&password=****&host=/tmp" },
		{ "host=h password=s3cr3t dbname=d", "host=h password=**** dbname=d" },
		{ "host=h password = 'a b\\' c' dbname=d", "host=h password = '****' dbname=d" },
		{ "dbname=postgres://u:s3cr3t@h/db", "dbname=postgres://u:****@h/db" },
		{ "sqlite:x.db", "sqlite:x.db" },
		{ "user=pass", "user=pass" },
		{ "passwords=1", "passwords=1" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *r = mg_dburl_redact(cases[i].in);
		CHECK_STR(r, cases[i].out);
		free(r);
	}
}

TEST(test_dburl__scrub_echoed_password)
{
	struct mg_dburl u;
	struct mg_err e = MG_ERR_INIT;
	char *s;

	CHECK_INT(mg_dburl_parse(&u, "postgres://app:s3cr3t%2Dpass@nohost:1/db", &e), 0);
	/* libpq may echo the decoded password, or the raw URL */
	s = mg_dburl_scrub(&u, "could not translate host name \"s3cr3t-pass@nohost\"");
	CHECK(!strstr(s, "s3cr3t"));
	free(s);
	s = mg_dburl_scrub(&u, "bad URI postgres://app:s3cr3t%2Dpass@nohost:1/db");
	CHECK(!strstr(s, "s3cr3t"));
	free(s);
	mg_err_set(&e, MG_EDB, "x", "fail s3cr3t-pass");
	mg_err_detail(&e, "detail s3cr3t-pass");
	mg_err_hint(&e, "hint s3cr3t%%2Dpass");
	mg_dburl_scrub_err(&u, &e);
	CHECK(!strstr(e.msg, "s3cr3t"));
	CHECK(!strstr(e.detail, "s3cr3t"));
	CHECK(!strstr(e.hint, "s3cr3t"));
	mg_err_release(&e);
	mg_dburl_release(&u);
}

TEST(test_dburl__dialect_names)
{
	CHECK_INT(mg_dialect_parse("sqlite3"), MG_DIALECT_SQLITE);
	CHECK_INT(mg_dialect_parse("PostgreSQL"), MG_DIALECT_PG);
	CHECK_INT(mg_dialect_parse("pg"), MG_DIALECT_PG);
	CHECK_INT(mg_dialect_parse("mysql"), MG_DIALECT_NONE);
	CHECK_INT(mg_dialect_parse(NULL), MG_DIALECT_NONE);
	CHECK_STR(mg_dialect_name(MG_DIALECT_PG), "postgres");
}
