/* Unit tests: src/report (text, gcc, json, sarif, github). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "lint/rule_meta.h"
#include "report/report.h"
#include "test.h"

/* Two findings: an error with a lock on a line with a tab and UTF-8, and an
 * info without lock or help. */
static void sample(struct mg_diag d[2], struct mg_report_summary *s)
{
	memset(d, 0, 2 * sizeof(*d));
	d[0].file = mg_xstrdup("db/m 1.sql");
	d[0].line = 3;
	d[0].column = 8;
	d[0].end_line = 4;
	d[0].end_column = 2;
	d[0].rule = "drop-column";
	d[0].severity = MG_SEV_ERROR;
	d[0].message = mg_xstrdup("column \"é\" of table \"users\" is dropped, 100%");
	d[0].help = mg_xstrdup("drop it later");
	d[0].has_lock = true;
	d[0].lock_mode = MG_LOCK_ACCESS_EXCLUSIVE;
	snprintf(d[0].lock_relation, sizeof(d[0].lock_relation), "users");
	d[0].source_line = mg_xstrdup("\tés = DROP COLUMN \"é\"");
	d[0].caret_len = 4;
	snprintf(d[0].fingerprint, sizeof(d[0].fingerprint), "0123456789abcdef");
	d[1].file = mg_xstrdup("a,b:c.sql");
	d[1].line = 1;
	d[1].column = 1;
	d[1].end_line = 1;
	d[1].end_column = 5;
	d[1].rule = "unused-ignore";
	d[1].severity = MG_SEV_INFO;
	d[1].message = mg_xstrdup("line one\nline two");
	d[1].caret_len = 1;
	snprintf(d[1].fingerprint, sizeof(d[1].fingerprint), "fedcba9876543210");
	memset(s, 0, sizeof(*s));
	s->files = 2;
	s->statements = 7;
	s->errors = 1;
	s->infos = 1;
	s->suppressed = 2;
}

static char *render(enum mg_report_format fmt, bool color, size_t n)
{
	struct mg_diag d[2];
	struct mg_report_summary s;
	struct mg_report_opts o;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	sample(d, &s);
	memset(&o, 0, sizeof(o));
	o.format = fmt;
	o.color = color;
	o.summary = true;
	o.tool_version = "1.2.3";
	if (!n)
		s.errors = s.infos = 0;
	mg_report_write(f, &o, d, n, &s);
	fclose(f);
	mg_diag_release(&d[0]);
	mg_diag_release(&d[1]);
	return buf;
}

TEST(test_report__text)
{
	char *t = render(MG_FMT_TEXT, false, 2);

	CHECK_STR(t,
		  "db/m 1.sql:3:8: error: column \"é\" of table \"users\" is dropped, 100% [drop-column]\n"
		  "    3 | \tés = DROP COLUMN \"é\"\n"
		  "      | \t      ^~~~\n"
		  "  = lock: ACCESS EXCLUSIVE on \"users\" (blocks reads and writes)\n"
		  "  = help: drop it later\n"
		  "\n"
		  "a,b:c.sql:1:1: info: line one\nline two [unused-ignore]\n"
		  "\n"
		  "1 error, 0 warnings, 1 info in 2 files (7 statements); 2 suppressed\n");
	free(t);
	t = render(MG_FMT_TEXT, false, 0);
	CHECK_STR(t, "no problems in 2 files (7 statements); 2 suppressed\n");
	free(t);
	t = render(MG_FMT_TEXT, true, 1);
	CHECK_CONTAINS(t, "\033[1;31merror:\033[0m");
	CHECK_CONTAINS(t, "\033[1;32m^~~~\033[0m");
	free(t);
}

TEST(test_report__gcc)
{
	char *t = render(MG_FMT_GCC, true, 2);

	CHECK_STR(t, "db/m 1.sql:3:8: error: column \"é\" of table \"users\" is dropped, 100% [drop-column]\n"
		     "a,b:c.sql:1:1: info: line one\nline two [unused-ignore]\n");
	free(t);
}

TEST(test_report__json)
{
	char *t = render(MG_FMT_JSON, false, 2);
	cJSON *j = cJSON_Parse(t), *d0, *d1, *s;

	CHECK(j != NULL);
	CHECK_INT(cJSON_GetObjectItem(j, "version")->valueint, 1);
	d0 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "diagnostics"), 0);
	d1 = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "diagnostics"), 1);
	CHECK_STR(cJSON_GetObjectItem(d0, "file")->valuestring, "db/m 1.sql");
	CHECK_INT(cJSON_GetObjectItem(d0, "line")->valueint, 3);
	CHECK_INT(cJSON_GetObjectItem(d0, "column")->valueint, 8);
	CHECK_INT(cJSON_GetObjectItem(d0, "end_line")->valueint, 4);
	CHECK_INT(cJSON_GetObjectItem(d0, "end_column")->valueint, 2);
	CHECK_STR(cJSON_GetObjectItem(d0, "rule")->valuestring, "drop-column");
	CHECK_STR(cJSON_GetObjectItem(d0, "severity")->valuestring, "error");
	CHECK_STR(cJSON_GetObjectItem(d0, "message")->valuestring,
		  "column \"é\" of table \"users\" is dropped, 100%");
	CHECK_STR(cJSON_GetObjectItem(d0, "help")->valuestring, "drop it later");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(d0, "lock"), "mode")->valuestring,
		  "ACCESS EXCLUSIVE");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(d0, "lock"), "relation")->valuestring,
		  "users");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(d0, "lock"), "blocks")->valuestring,
		  "reads and writes");
	CHECK_STR(cJSON_GetObjectItem(d0, "fingerprint")->valuestring, "0123456789abcdef");
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(d1, "lock")));
	CHECK(cJSON_IsNull(cJSON_GetObjectItem(d1, "help")));
	CHECK_STR(cJSON_GetObjectItem(d1, "severity")->valuestring, "info");
	CHECK_STR(cJSON_GetObjectItem(d1, "message")->valuestring, "line one\nline two");
	s = cJSON_GetObjectItem(j, "summary");
	CHECK_INT(cJSON_GetObjectItem(s, "files")->valueint, 2);
	CHECK_INT(cJSON_GetObjectItem(s, "statements")->valueint, 7);
	CHECK_INT(cJSON_GetObjectItem(s, "errors")->valueint, 1);
	CHECK_INT(cJSON_GetObjectItem(s, "warnings")->valueint, 0);
	CHECK_INT(cJSON_GetObjectItem(s, "infos")->valueint, 1);
	CHECK_INT(cJSON_GetObjectItem(s, "suppressed")->valueint, 2);
	CHECK_INT(cJSON_GetObjectItem(s, "baselined")->valueint, 0);
	cJSON_Delete(j);
	free(t);
	t = render(MG_FMT_JSON, false, 0);
	CHECK_CONTAINS(t, "{\"version\":1,\"diagnostics\":[],\"summary\":{");
	free(t);
}

TEST(test_report__sarif)
{
	char *t = render(MG_FMT_SARIF, false, 2);
	cJSON *j = cJSON_Parse(t), *run, *drv, *rules, *res, *r0, *r1, *loc, *reg;
	int ri;

	CHECK(j != NULL);
	CHECK_STR(cJSON_GetObjectItem(j, "version")->valuestring, "2.1.0");
	CHECK_CONTAINS(cJSON_GetObjectItem(j, "$schema")->valuestring, "sarif-2.1.0");
	run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
	drv = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "tool"), "driver");
	CHECK_STR(cJSON_GetObjectItem(drv, "name")->valuestring, "migrate");
	CHECK_STR(cJSON_GetObjectItem(drv, "version")->valuestring, "1.2.3");
	CHECK(cJSON_GetObjectItem(drv, "informationUri") != NULL);
	rules = cJSON_GetObjectItem(drv, "rules");
	CHECK_INT(cJSON_GetArraySize(rules), (int)(mg_rule_count() + 7)); /* + engine diagnostics */
	res = cJSON_GetObjectItem(run, "results");
	CHECK_INT(cJSON_GetArraySize(res), 2);
	r0 = cJSON_GetArrayItem(res, 0);
	r1 = cJSON_GetArrayItem(res, 1);
	CHECK_STR(cJSON_GetObjectItem(r0, "ruleId")->valuestring, "drop-column");
	ri = cJSON_GetObjectItem(r0, "ruleIndex")->valueint;
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, ri), "id")->valuestring,
		  "drop-column");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, ri), "name")->valuestring,
		  "DropColumn");
	ri = cJSON_GetObjectItem(r1, "ruleIndex")->valueint;
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetArrayItem(rules, ri), "id")->valuestring,
		  "unused-ignore");
	CHECK_STR(cJSON_GetObjectItem(r0, "level")->valuestring, "error");
	CHECK_STR(cJSON_GetObjectItem(r1, "level")->valuestring, "note");
	CHECK_CONTAINS(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "message"), "text")->valuestring,
		       "Lock: ACCESS EXCLUSIVE on \"users\"");
	loc = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(r0, "locations"), 0),
				  "physicalLocation");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(loc, "artifactLocation"),
				      "uri")->valuestring, "db/m%201.sql");
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(loc, "artifactLocation"),
				      "uriBaseId")->valuestring, "%SRCROOT%");
	reg = cJSON_GetObjectItem(loc, "region");
	CHECK_INT(cJSON_GetObjectItem(reg, "startLine")->valueint, 3);
	CHECK_INT(cJSON_GetObjectItem(reg, "startColumn")->valueint, 8);
	CHECK_INT(cJSON_GetObjectItem(reg, "endLine")->valueint, 4);
	CHECK_INT(cJSON_GetObjectItem(reg, "endColumn")->valueint, 2);
	CHECK_STR(cJSON_GetObjectItem(cJSON_GetObjectItem(r0, "partialFingerprints"),
				      "migrateFingerprint/v1")->valuestring, "0123456789abcdef");
	cJSON_Delete(j);
	free(t);
}

TEST(test_report__github)
{
	char *t = render(MG_FMT_GITHUB, false, 2);

	CHECK_STR(t,
		  "::error file=db/m 1.sql,line=3,col=8,endLine=4,endColumn=2,title=drop-column::"
		  "column \"é\" of table \"users\" is dropped, 100%25%0Alock: ACCESS EXCLUSIVE "
		  "on \"users\" (blocks reads and writes)%0Ahelp: drop it later\n"
		  "::notice file=a%2Cb%3Ac.sql,line=1,col=1,endLine=1,endColumn=5,"
		  "title=unused-ignore::line one%0Aline two\n");
	free(t);
}

TEST(test_report__helpers)
{
	struct mg_diags a = { 0 }, b = { 0 };
	struct mg_diag d;

	CHECK_INT(mg_report_format_parse("sarif"), MG_FMT_SARIF);
	CHECK_INT(mg_report_format_parse("html"), -1);
	CHECK_INT(mg_report_color("always", stdout), 1);
	CHECK_INT(mg_report_color("never", stdout), 0);
	CHECK_INT(mg_report_color("maybe", stdout), -1);
	memset(&d, 0, sizeof(d));
	d.message = mg_xstrdup("x");
	mg_diags_add(&a, &d);
	CHECK(d.message == NULL); /* moved */
	d.message = mg_xstrdup("y");
	mg_diags_add(&b, &d);
	mg_diags_append(&a, &b);
	CHECK_INT(a.n, 2);
	CHECK_INT(b.n, 0);
	CHECK_STR(a.v[1].message, "y");
	mg_diags_release(&a);
	mg_diags_release(&b);
}

TEST(test_report__json_escape)
{
	struct mg_buf b = MG_BUF_INIT;

	mg_report_json_escape(&b, "a\"b\\c\nd\te\x01\x1f é");
	CHECK_STR(b.buf, "a\\\"b\\\\c\\nd\\te\\u0001\\u001f é");
	mg_buf_reset(&b);
	mg_report_json_escape(&b, "");
	CHECK_STR(b.buf, "");
	mg_buf_release(&b);
}
