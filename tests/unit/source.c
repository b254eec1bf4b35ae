/* Unit tests: src/sql/source and directive. */
#include <stdlib.h>

#include "core/xalloc.h"
#include "sql/directive.h"
#include "sql/source.h"
#include "test.h"

static int load(struct mg_source *s, const char *text, struct mg_err *e)
{
	return mg_source_adopt(s, "t.sql", mg_xstrdup(text), strlen(text), e);
}

TEST(test_source__positions_count_characters)
{
	struct mg_source s;
	struct mg_err e = MG_ERR_INIT;
	unsigned l, c;

	CHECK_INT(load(&s, "ab\n\xc3\xa9x\r\nz", &e), 0);
	mg_source_pos(&s, 0, &l, &c);
	CHECK_INT(l, 1);
	CHECK_INT(c, 1);
	mg_source_pos(&s, 5, &l, &c); /* 'x' after a 2-byte char */
	CHECK_INT(l, 2);
	CHECK_INT(c, 2);
	mg_source_pos(&s, 8, &l, &c);
	CHECK_INT(l, 3);
	CHECK_INT(c, 1);
	mg_source_release(&s);
}

TEST(test_source__bom_removed_nul_and_utf8_rejected)
{
	struct mg_source s;
	struct mg_err e = MG_ERR_INIT;

	CHECK_INT(load(&s, "\xef\xbb\xbfSELECT 1;", &e), 0);
	CHECK(s.had_bom);
	CHECK_STR(s.text, "SELECT 1;");
	mg_source_release(&s);
	CHECK_INT(mg_source_adopt(&s, "b.sql", mg_xstrndup("SEL\0ECT", 7), 7, &e), MG_EINPUT);
	CHECK_STR(e.id, "binary-file");
	CHECK_INT(e.col, 4);
	mg_err_release(&e);
	CHECK_INT(load(&s, "SELECT 1;\nSELECT '\xff';", &e), MG_EINPUT);
	CHECK_STR(e.id, "invalid-utf8");
	CHECK_INT(e.line, 2);
	CHECK_INT(e.col, 9);
	mg_err_release(&e);
}

TEST(test_source__directives_outside_strings_only)
{
	struct mg_source s;
	struct mg_err e = MG_ERR_INIT;
	struct mg_directives d = { 0 };
	const char *t = "-- migrate:up\nCREATE FUNCTION f() RETURNS int AS $$\n"
			"-- migrate:down\nSELECT 1 $$ LANGUAGE sql;\n"
			"/* \n-- migrate:down\n*/\n-- migrate:down transaction:false\n"
			"-- migrate:lint-ignore drop-table, drop-column -- old\n";

	CHECK_INT(load(&s, t, &e), 0);
	CHECK_INT(mg_directives_scan(&s, 0, s.len, &d, &e), 0);
	CHECK_INT(d.n, 3);
	CHECK_INT(d.items[0].kind, MG_DIR_UP);
	CHECK_INT(d.items[1].kind, MG_DIR_DOWN);
	CHECK(d.items[1].no_tx);
	CHECK_INT(d.items[2].kind, MG_DIR_LINT_IGNORE);
	CHECK_INT(d.items[2].nrules, 2);
	CHECK_STR(d.items[2].rules[1], "drop-column");
	CHECK_STR(d.items[2].reason, "old");
	mg_directives_release(&d);
	mg_source_release(&s);
}

TEST(test_source__unknown_directive_is_positioned_error)
{
	struct mg_source s;
	struct mg_err e = MG_ERR_INIT;
	struct mg_directives d = { 0 };

	CHECK_INT(load(&s, "SELECT 1;\n  -- migrate:no-transacton\n", &e), 0);
	CHECK_INT(mg_directives_scan(&s, 0, s.len, &d, &e), MG_EINPUT);
	CHECK_STR(e.id, "unknown-directive");
	CHECK_INT(e.line, 2);
	CHECK_INT(e.col, 14);
	CHECK_CONTAINS(e.hint, "no-transaction");
	mg_err_release(&e);
	mg_directives_release(&d);
	mg_source_release(&s);
}
