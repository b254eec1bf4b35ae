/*
 * lint_fuzzer: the whole lint pipeline on arbitrary SQL.
 *
 * Exercises:
 *   src/lint/lint.c      mg_lint_string (one script), mg_lint_paths on a
 *                        migrations directory (a fixed first migration
 *                        that creates users/orders, then the input as the
 *                        second one: context replay across scripts),
 *                        mg_lint_exit_code, option setting
 *   src/lint/engine.c    statement dispatch, transaction tracking, locks,
 *                        findings and their positions, lint-ignore
 *                        directives (src/lint/suppress.c)
 *   src/lint/catalog.c   schema catalog replay of every statement
 *   src/lint/rules/      every rule, each enabled (rules that are off by
 *                        default run at info), for PostgreSQL (target
 *                        version 15 or 18) and SQLite, upgrade or downgrade
 *   src/lint/typecoerce.c, volatility.c, baseline.c (fingerprints)
 *   src/report/          every output format (text, gcc, json, sarif,
 *                        github) of the PostgreSQL findings, to /dev/null
 *   src/sql/ (parse, scan, split, sqlite_split), src/migset/ (the directory)
 *
 * Invariants (abort() when broken): every finding names a file and a rule,
 * has a message and a severity, and is positioned at line:column >= 1:1
 * inside the text, with its end not before its start; the exit code is 0,
 * 1 or 2, and 2 exactly when the result says input_error.
 *
 * Input: SQL text (raw bytes: NUL and invalid UTF-8 must become input
 * errors); capped at 16 KiB. The input's length picks upgrade/downgrade
 * and the target PostgreSQL version, so the corpus reaches all of them.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/xalloc.h"
#include "lint/lint.h"
#include "lint/rule.h"
#include "report/report.h"

#define FUZZ_MAX_INPUT 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "lint_fuzzer: invariant broken: %s "     \
				"(%s:%d)\n", #cond, __FILE__, __LINE__);     \
			abort();                                             \
		}                                                            \
	} while (0)

static struct mg_lint_opts opts_pg15, opts_pg18, opts_sqlite;
static char *tmpdir, *base_path, *input_path;
static FILE *devnull;
static int ready;

static const char base_sql[] =
	"CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
	"  email text NOT NULL, name text, created_at timestamptz DEFAULT now());\n"
	"CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users(id),\n"
	"  total numeric(12,2), status text DEFAULT 'new');\n"
	"CREATE INDEX orders_user_id_idx ON orders (user_id);\n";

static void cleanup(void)
{
	if (input_path)
		unlink(input_path);
	if (base_path)
		unlink(base_path);
	if (tmpdir)
		rmdir(tmpdir);
	free(input_path);
	free(base_path);
	free(tmpdir);
	input_path = base_path = tmpdir = NULL;
	mg_lint_opts_release(&opts_pg15);
	mg_lint_opts_release(&opts_pg18);
	mg_lint_opts_release(&opts_sqlite);
	if (devnull)
		fclose(devnull);
}

/* Every rule on: those off by default at info. */
static void all_rules(struct mg_lint_opts *o)
{
	struct mg_err err = MG_ERR_INIT;

	for (size_t i = 0; mg_rules[i]; i++) {
		if (mg_rules[i]->default_severity != MG_SEV_OFF)
			continue;
		if (mg_lint_opts_set(o, mg_rules[i]->id, MG_SEV_INFO, &err)) {
			mg_err_print(stderr, &err);
			abort();
		}
	}
	o->jobs = 1;
}

static void setup(void)
{
	const char *tb = getenv("TMPDIR");
	FILE *f;

	if (ready)
		return;
	ready = 1;
	mg_lint_opts_init(&opts_pg15);
	all_rules(&opts_pg15);
	mg_lint_opts_init(&opts_pg18);
	all_rules(&opts_pg18);
	opts_pg18.pg_version = 18;
	mg_lint_opts_init(&opts_sqlite);
	all_rules(&opts_sqlite);
	opts_sqlite.dialect = MG_LINT_SQLITE;

	tmpdir = mg_xasprintf("%s/lint_fuzzer.XXXXXX", tb && *tb ? tb : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("lint_fuzzer: mkdtemp");
		abort();
	}
	base_path = mg_fs_join(tmpdir, "0001_base.up.sql");
	input_path = mg_fs_join(tmpdir, "0002_input.up.sql");
	f = fopen(base_path, "wb");
	if (!f || fputs(base_sql, f) < 0 || fclose(f)) {
		perror("lint_fuzzer: write");
		abort();
	}
	devnull = fopen("/dev/null", "w");
	atexit(cleanup);
}

static void check_result(const struct mg_lint_result *r,
			 const struct mg_lint_opts *o, size_t size, bool report)
{
	int code = mg_lint_exit_code(r, o);

	CHECK(code >= 0 && code <= 2);
	CHECK((code == 2) == r->input_error);
	for (size_t i = 0; i < r->diags.n; i++) {
		const struct mg_diag *d = &r->diags.v[i];
		CHECK(d->file && d->rule && d->rule[0] && d->message);
		CHECK(d->severity >= MG_SEV_INFO && d->severity <= MG_SEV_ERROR);
		CHECK(d->line >= 1 && d->column >= 1);
		if (d->end_line)
			CHECK(d->end_line > d->line ||
			      (d->end_line == d->line && d->end_column >= d->column));
		CHECK(d->off <= size + 1);
		if (d->source_line)
			CHECK(d->caret_len >= 1);
	}
	if (report && devnull && r->diags.n) {
		for (int fmt = MG_FMT_TEXT; fmt <= MG_FMT_GITHUB; fmt++) {
			struct mg_report_opts ro = { (enum mg_report_format)fmt,
						     fmt == MG_FMT_TEXT, true, "fuzz" };
			mg_report_write(devnull, &ro, r->diags.v, r->diags.n, &r->sum);
		}
	}
}

static void lint_string(const uint8_t *data, size_t size, bool is_down,
			const struct mg_lint_opts *o, bool report)
{
	struct mg_lint_result res;

	memset(&res, 0, sizeof(res));
	mg_lint_string("fuzz.sql", (const char *)data, size, is_down, o, &res);
	check_result(&res, o, size, report);
	mg_lint_result_release(&res);
}

static void lint_dir(const uint8_t *data, size_t size, const struct mg_lint_opts *o)
{
	struct mg_lint_result res;
	struct mg_err err = MG_ERR_INIT;
	const char *paths[1] = { tmpdir };
	FILE *f = fopen(input_path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror("lint_fuzzer: write");
		abort();
	}
	memset(&res, 0, sizeof(res));
	if (mg_lint_paths(paths, 1, o, &res, &err) == 0)
		check_result(&res, o, size > sizeof(base_sql) ? size : sizeof(base_sql),
			     false);
	mg_err_release(&err);
	mg_lint_result_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > FUZZ_MAX_INPUT)
		return -1;
	setup();
	lint_string(data, size, size % 2 == 1, size % 4 < 2 ? &opts_pg15 : &opts_pg18,
		    true);
	lint_string(data, size, false, &opts_sqlite, false);
	lint_dir(data, size, &opts_pg15);
	return 0;
}
