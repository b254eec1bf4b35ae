/* Unit tests: src/lint/engine, lint, suppress, baseline, rule_meta. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "core/buf.h"
#include "core/xalloc.h"
#include "lint/baseline.h"
#include "lint/catalog.h"
#include "lint/engine.h"
#include "lint/lint.h"
#include "lint/rule_meta.h"
#include "migset/migset.h"
#include "test.h"

/* ---- a harness around mg_engine_script with a visit hook ---------------- */

struct seen {
	bool in_txn[16], explicit_txn[16];
	unsigned txn[16];
	struct mg_lock locks[16][4];
	size_t nlocks[16];
	size_t ntx[16];             /* locks held by the transaction before it */
	enum mg_origin origin[16];  /* of the statement's "relation" */
	size_t n;
	size_t span_off[4], span_end[4];
	bool span_ok[4];
	char ident[64];
	bool matched;
	size_t found;
};

static void visit(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st, void *arg)
{
	struct seen *s = arg;
	size_t i = st->index;
	const struct mg_txn_lock *held;

	if (i >= 16)
		return;
	s->n = i + 1;
	s->in_txn[i] = st->in_txn;
	s->explicit_txn[i] = st->explicit_txn;
	s->txn[i] = st->txn;
	s->nlocks[i] = mg_lint_stmt_locks(ctx, st, s->locks[i], 4);
	s->ntx[i] = mg_lint_txn_locks(ctx, &held);
	s->origin[i] = mg_lint_table_origin(ctx, mg_lint_table(ctx,
					    mg_node_get(st->node, "relation")));
	if (st->kind && !strcmp(st->kind, "AlterTableStmt"))
		for (size_t k = 0; k < 4; k++)
			s->span_ok[k] = mg_lint_cmd_span(ctx, st, k, &s->span_off[k],
							 &s->span_end[k]);
	if (!st->kind || !strcmp(st->kind, "SelectStmt")) {
		size_t n;
		const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
		s->matched = mg_lint_tok_match(ctx, st, 0, "SELECT", "*", "FROM", NULL);
		s->found = mg_lint_tok_find(ctx, st, 0, "FROM");
		if (n > 3)
			mg_lint_tok_ident(ctx, &t[3], s->ident, sizeof(s->ident));
	}
}

struct run {
	struct mg_source src;
	struct mg_diags diags;
	struct mg_report_summary sum;
	struct seen seen;
	int rc;
};

/* Lint sql as one script of engine e (which keeps the catalog). */
static void run_on(struct mg_engine *e, struct run *r, const char *sql, bool no_tx,
		   bool is_down)
{
	struct mg_err err = MG_ERR_INIT;
	struct mg_script_in in;

	memset(r, 0, sizeof(*r));
	mg_source_adopt(&r->src, "t.sql", mg_xstrdup(sql), strlen(sql), &err);
	mg_err_release(&err);
	memset(&in, 0, sizeof(in));
	in.src = &r->src;
	in.off = 0;
	in.end = r->src.len;
	in.no_tx = no_tx;
	in.is_down = is_down;
	in.after_up = is_down;
	in.visit = visit;
	in.visit_arg = &r->seen;
	r->rc = mg_engine_script(e, &in, &r->diags, &r->sum);
}

static void run_done(struct run *r)
{
	mg_diags_release(&r->diags);
	mg_source_release(&r->src);
}

static const struct mg_diag *find_rule(const struct run *r, const char *rule)
{
	for (size_t i = 0; i < r->diags.n; i++)
		if (!strcmp(r->diags.v[i].rule, rule))
			return &r->diags.v[i];
	return NULL;
}

/* ---- transactions --------------------------------------------------------- */

TEST(test_engine__transactions_runner_and_explicit)
{
	struct mg_lint_opts o;
	struct mg_engine *e;
	struct run r;

	mg_lint_opts_init(&o);
	e = mg_engine_new(&o);
	run_on(e, &r, "SELECT 1; BEGIN; SELECT 2; COMMIT; SELECT 3; "
		      "START TRANSACTION; SELECT 4; ROLLBACK;", true, false);
	CHECK_INT(r.seen.n, 8);
	CHECK(!r.seen.in_txn[0] && r.seen.txn[0] == 0);
	CHECK(r.seen.in_txn[1] && r.seen.explicit_txn[1]);
	CHECK(r.seen.in_txn[2] && r.seen.txn[2] == r.seen.txn[1] && r.seen.txn[2] > 0);
	CHECK(r.seen.in_txn[3]); /* the COMMIT ends it */
	CHECK(!r.seen.in_txn[4] && !r.seen.explicit_txn[4]);
	CHECK(r.seen.in_txn[6] && r.seen.txn[6] != r.seen.txn[2]);
	run_done(&r);
	/* the runner's transaction: everything inside, until a COMMIT */
	run_on(e, &r, "SELECT 1; SELECT 2; COMMIT; SELECT 3;", false, false);
	CHECK(r.seen.in_txn[0] && !r.seen.explicit_txn[0] && r.seen.txn[0] == 1);
	CHECK(r.seen.in_txn[1] && r.seen.txn[1] == 1);
	CHECK(!r.seen.in_txn[3]);
	run_done(&r);
	/* unparsed statements: transaction control read from the tokens */
	o.pg_version = 17;
	run_on(e, &r, "BEGIN; SELECT * FROM (SELECT 1); COMMIT;", true, false);
	CHECK(r.seen.in_txn[1] && r.seen.explicit_txn[1]);
	run_done(&r);
	mg_engine_free(e);
	mg_lint_opts_release(&o);
}

/* ---- locks ----------------------------------------------------------------- */

TEST(test_engine__statement_locks)
{
	struct mg_lint_opts o;
	struct mg_engine *e;
	struct run r;

	mg_lint_opts_init(&o);
	e = mg_engine_new(&o);
	run_on(e, &r, "CREATE TABLE t (a int, c varchar(20), d int); "
		      "CREATE INDEX t_a ON t (a); CREATE TABLE o (id int PRIMARY KEY);",
		      false, false);
	run_done(&r);
	run_on(e, &r,
	       "ALTER TABLE t ADD COLUMN x int;"                               /* 0 */
	       "ALTER TABLE t ALTER COLUMN a SET STATISTICS 100;"              /* 1 */
	       "ALTER TABLE t ADD CONSTRAINT t_d_fk FOREIGN KEY (d) REFERENCES o (id) NOT VALID;" /* 2 */
	       "CREATE INDEX CONCURRENTLY t_d ON t (d);"                        /* 3 */
	       "DROP INDEX t_a;"                                               /* 4 */
	       "LOCK TABLE o IN SHARE MODE;"                                   /* 5 */
	       "UPDATE t SET a = 1;"                                           /* 6 */
	       "ALTER TABLE t SET (fillfactor = 70);"                          /* 7 */
	       "ALTER TABLE t ALTER COLUMN c TYPE varchar(50);"                /* 8 */
	       "ALTER TABLE t ALTER COLUMN a TYPE bigint;"                     /* 9 */
	       "ALTER TABLE t VALIDATE CONSTRAINT t_d_fk;"                     /* 10 */
	       "ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();"    /* 11 */
	       "ALTER TABLE t ADD COLUMN n int NOT NULL DEFAULT 0;"            /* 12 */
	       "VACUUM FULL t;"                                                /* 13 */
	       "CREATE INDEX t_c ON t (c);",                                   /* 14 */
	       false, false);
	CHECK_INT(r.seen.n, 15);
	CHECK_INT(r.seen.locks[0][0].mode, MG_LOCK_ACCESS_EXCLUSIVE);
	CHECK_STR(r.seen.locks[0][0].relation, "t");
	CHECK_STR(r.seen.locks[0][0].schema, "public");
	CHECK_INT(r.seen.locks[0][0].origin, MG_ORIGIN_EXISTING);
	CHECK(!r.seen.locks[0][0].rewrite);
	CHECK_INT(r.seen.locks[1][0].mode, MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
	CHECK_INT(r.seen.nlocks[2], 2);
	CHECK_INT(r.seen.locks[2][0].mode, MG_LOCK_SHARE_ROW_EXCLUSIVE);
	CHECK_STR(r.seen.locks[2][1].relation, "o");
	CHECK_INT(r.seen.locks[2][1].mode, MG_LOCK_SHARE_ROW_EXCLUSIVE);
	CHECK(!r.seen.locks[2][0].scan); /* NOT VALID */
	CHECK_INT(r.seen.locks[3][0].mode, MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
	CHECK_INT(r.seen.locks[4][0].mode, MG_LOCK_ACCESS_EXCLUSIVE);
	CHECK_STR(r.seen.locks[4][0].relation, "t"); /* the index's table */
	CHECK_INT(r.seen.locks[5][0].mode, MG_LOCK_SHARE);
	CHECK_INT(r.seen.locks[6][0].mode, MG_LOCK_ROW_EXCLUSIVE);
	CHECK_INT(r.seen.locks[7][0].mode, MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
	CHECK_INT(r.seen.locks[8][0].mode, MG_LOCK_ACCESS_EXCLUSIVE);
	CHECK(!r.seen.locks[8][0].rewrite);  /* varchar(20) -> varchar(50) */
	CHECK(r.seen.locks[9][0].rewrite);   /* int -> bigint */
	CHECK_INT(r.seen.locks[10][0].mode, MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
	CHECK(r.seen.locks[10][0].scan);
	CHECK(r.seen.locks[11][0].rewrite);  /* volatile default */
	CHECK(!r.seen.locks[12][0].rewrite); /* constant default, PG 11+ */
	CHECK(r.seen.locks[13][0].rewrite);
	CHECK_INT(r.seen.locks[14][0].mode, MG_LOCK_SHARE);
	/* the runner's transaction accumulates locks */
	CHECK_INT(r.seen.ntx[0], 0);
	CHECK_INT(r.seen.ntx[1], 1);
	CHECK_INT(r.seen.ntx[3], 2); /* one entry per relation: t and o */
	run_done(&r);
	/* outside a transaction nothing is held */
	run_on(e, &r, "ALTER TABLE t ADD COLUMN y int; UPDATE t SET y = 1;", true, false);
	CHECK_INT(r.seen.ntx[1], 0);
	run_done(&r);
	/* PostgreSQL 10: any default rewrites */
	o.pg_version = 10;
	run_on(e, &r, "ALTER TABLE t ADD COLUMN z int DEFAULT 0;", false, false);
	CHECK(r.seen.locks[0][0].rewrite);
	run_done(&r);
	mg_engine_free(e);
	mg_lint_opts_release(&o);
}

TEST(test_engine__lock_names_and_conflicts)
{
	CHECK_STR(mg_lock_mode_name(MG_LOCK_ACCESS_EXCLUSIVE), "ACCESS EXCLUSIVE");
	CHECK_STR(mg_lock_mode_name(MG_LOCK_SHARE_UPDATE_EXCLUSIVE), "SHARE UPDATE EXCLUSIVE");
	CHECK_STR(mg_lock_mode_name((enum mg_lock_mode)99), "");
	CHECK_STR(mg_lock_mode_blocks(MG_LOCK_ACCESS_EXCLUSIVE), "reads and writes");
	CHECK_STR(mg_lock_mode_blocks(MG_LOCK_SHARE), "writes");
	CHECK(mg_lock_conflicts(MG_LOCK_ACCESS_SHARE, MG_LOCK_ACCESS_EXCLUSIVE));
	CHECK(!mg_lock_conflicts(MG_LOCK_ACCESS_SHARE, MG_LOCK_EXCLUSIVE));
	CHECK(mg_lock_conflicts(MG_LOCK_ROW_EXCLUSIVE, MG_LOCK_SHARE));
	CHECK(!mg_lock_conflicts(MG_LOCK_ROW_EXCLUSIVE, MG_LOCK_ROW_EXCLUSIVE));
	CHECK(mg_lock_conflicts(MG_LOCK_SHARE_UPDATE_EXCLUSIVE, MG_LOCK_SHARE_UPDATE_EXCLUSIVE));
	CHECK(!mg_lock_conflicts(MG_LOCK_SHARE, MG_LOCK_SHARE));
	CHECK(mg_lock_conflicts(MG_LOCK_EXCLUSIVE, MG_LOCK_ROW_SHARE));
	/* symmetric */
	for (int a = 1; a <= 8; a++)
		for (int b = 1; b <= 8; b++)
			CHECK(mg_lock_conflicts(a, b) == mg_lock_conflicts(b, a));
}

/* ---- origins, positions, tokens ---------------------------------------------- */

TEST(test_engine__origins_across_scripts)
{
	struct mg_lint_opts o;
	struct mg_engine *e;
	struct run r;

	mg_lint_opts_init(&o);
	e = mg_engine_new(&o);
	run_on(e, &r, "CREATE TABLE a (x int); ALTER TABLE a ADD COLUMN y int;"
		      "ALTER TABLE b ADD COLUMN y int;", false, false);
	CHECK_INT(r.seen.origin[1], MG_ORIGIN_NEW);
	CHECK_INT(r.seen.origin[2], MG_ORIGIN_UNKNOWN);
	run_done(&r);
	run_on(e, &r, "ALTER TABLE a DROP COLUMN y; ALTER TABLE b DROP COLUMN y;",
	       false, false);
	CHECK_INT(r.seen.origin[0], MG_ORIGIN_EXISTING);
	CHECK_INT(r.seen.origin[1], MG_ORIGIN_UNKNOWN); /* a stub: made outside */
	CHECK(find_rule(&r, "drop-column") != NULL);
	run_done(&r);
	/* a downgrade of the last script: what it created is UPGRADE */
	run_on(e, &r, "CREATE TABLE c (x int);", false, false);
	run_done(&r);
	run_on(e, &r, "ALTER TABLE c ADD COLUMN z int; DROP TABLE c;", false, true);
	CHECK_INT(r.seen.origin[0], MG_ORIGIN_UPGRADE);
	run_done(&r);
	/* ... and the downgrade did not change the state carried on */
	run_on(e, &r, "ALTER TABLE c ADD COLUMN w int;", false, false);
	CHECK_INT(r.seen.origin[0], MG_ORIGIN_EXISTING);
	CHECK(mg_cat_column(mg_cat_table(mg_engine_catalog(e), NULL, "c"), "z") == NULL);
	run_done(&r);
	mg_engine_free(e);
	mg_lint_opts_release(&o);
}

TEST(test_engine__cmd_spans_and_tokens)
{
	struct mg_lint_opts o;
	struct mg_engine *e;
	struct run r;
	const char *sql = "ALTER TABLE ONLY \"S\".t DROP COLUMN a, ADD COLUMN b int "
			  "DEFAULT f(1, 2), DROP c;";

	mg_lint_opts_init(&o);
	e = mg_engine_new(&o);
	run_on(e, &r, sql, false, false);
	CHECK(r.seen.span_ok[0] && r.seen.span_ok[1] && r.seen.span_ok[2]);
	CHECK(!r.seen.span_ok[3]);
	CHECK(!strncmp(sql + r.seen.span_off[0], "DROP COLUMN a,", 14));
	CHECK_INT(r.seen.span_end[0] - r.seen.span_off[0], 13);
	CHECK(!strncmp(sql + r.seen.span_off[1], "ADD COLUMN b int DEFAULT f(1, 2)",
		       r.seen.span_end[1] - r.seen.span_off[1]));
	CHECK_INT(r.seen.span_end[1] - r.seen.span_off[1], 32);
	CHECK(!strncmp(sql + r.seen.span_off[2], "DROP c", 6));
	CHECK_INT(r.seen.span_end[2] - r.seen.span_off[2], 6);
	run_done(&r);
	run_on(e, &r, "select * from \"My Tab\";", false, false);
	CHECK(r.seen.matched);
	CHECK_INT(r.seen.found, 2);
	CHECK_STR(r.seen.ident, "My Tab");
	run_done(&r);
	mg_engine_free(e);
	mg_lint_opts_release(&o);
}

/* ---- whole-script behaviour through mg_lint_string ----------------------------- */

static void lint(const char *sql, const struct mg_lint_opts *o, struct mg_lint_result *r)
{
	mg_lint_string("m.sql", sql, strlen(sql), false, o, r);
}

TEST(test_engine__positions_in_characters)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;
	const struct mg_diag *d;

	mg_lint_opts_init(&o);
	lint("-- café ☕\nSELECT 'é'; ALTER TABLE \"tablé\" DROP COLUMN \"colé\";\n", &o, &r);
	CHECK_INT(r.diags.n, 1);
	d = &r.diags.v[0];
	CHECK_STR(d->rule, "drop-column");
	CHECK_INT(d->line, 2);
	CHECK_INT(d->column, 33);
	CHECK_INT(d->end_line, 2);
	CHECK_INT(d->end_column, 52); /* just after the ';' */
	CHECK_INT(d->caret_len, 18);
	CHECK_STR(d->source_line, "SELECT 'é'; ALTER TABLE \"tablé\" DROP COLUMN \"colé\";");
	CHECK(d->has_lock && d->lock_mode == MG_LOCK_ACCESS_EXCLUSIVE);
	CHECK_STR(d->lock_relation, "tablé");
	CHECK(d->help != NULL);
	CHECK_INT(r.sum.statements, 2);
	CHECK_INT(r.sum.files, 1);
	CHECK_INT(r.sum.errors, 1);
	mg_lint_result_release(&r);
	mg_lint_opts_release(&o);
}

TEST(test_engine__severity_settings)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;
	struct mg_err err = MG_ERR_INIT;

	mg_lint_opts_init(&o);
	CHECK_INT(mg_lint_opts_rule(&o, "drop-column=warning", &err), 0);
	lint("ALTER TABLE u DROP COLUMN a;", &o, &r);
	CHECK_INT(r.diags.n, 1);
	CHECK_INT(r.diags.v[0].severity, MG_SEV_WARNING);
	CHECK_INT(mg_lint_exit_code(&r, &o), 0);
	o.fail_on = MG_SEV_WARNING;
	CHECK_INT(mg_lint_exit_code(&r, &o), 1);
	o.fail_on = MG_SEV_OFF;
	CHECK_INT(mg_lint_exit_code(&r, &o), 0);
	mg_lint_result_release(&r);
	CHECK_INT(mg_lint_opts_rule(&o, "drop-column=off", &err), 0);
	lint("ALTER TABLE u DROP COLUMN a;", &o, &r);
	CHECK_INT(r.diags.n, 0);
	mg_lint_result_release(&r);
	CHECK_INT(mg_lint_opts_rule(&o, "drop-colum=off", &err), MG_EUSAGE);
	CHECK_STR(err.id, "unknown-rule");
	CHECK_CONTAINS(err.hint, "drop-column");
	mg_err_release(&err);
	CHECK_INT(mg_lint_opts_rule(&o, "drop-column", &err), MG_EUSAGE);
	mg_err_release(&err);
	CHECK_INT(mg_lint_opts_rule(&o, "drop-column=loud", &err), MG_EUSAGE);
	mg_err_release(&err);
	CHECK_INT(mg_lint_opts_set(&o, "unused-ignore", MG_SEV_OFF, &err), 0);
	CHECK_INT(mg_lint_opts_set(&o, "syntax-error", MG_SEV_OFF, &err), MG_EUSAGE);
	mg_err_release(&err);
	mg_lint_opts_release(&o);
}

TEST(test_engine__suppression)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;

	mg_lint_opts_init(&o);
	lint("-- migrate:lint-ignore drop-column -- unused since 4.2\n"
	     "ALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN b;\n", &o, &r);
	CHECK_INT(r.diags.n, 1);
	CHECK_INT(r.diags.v[0].line, 3);
	CHECK_INT(r.sum.suppressed, 1);
	mg_lint_result_release(&r);
	lint("-- migrate:lint-ignore-file drop-column -- one-off\n"
	     "ALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN b;\n", &o, &r);
	CHECK_INT(r.diags.n, 0);
	CHECK_INT(r.sum.suppressed, 2);
	mg_lint_result_release(&r);
	lint("-- migrate:lint-ignore drop-column, bogus-rule\nSELECT 1;\n", &o, &r);
	CHECK(r.input_error);
	CHECK_INT(mg_lint_exit_code(&r, &o), 2);
	CHECK_INT(r.diags.n, 3); /* ignore-without-reason, unknown-rule, unused */
	CHECK_STR(r.diags.v[0].rule, "ignore-without-reason");
	CHECK_STR(r.diags.v[1].rule, "unused-ignore");
	CHECK_INT(r.diags.v[1].column, 24);
	CHECK_STR(r.diags.v[2].rule, "unknown-rule");
	CHECK_INT(r.diags.v[2].column, 37);
	mg_lint_result_release(&r);
	mg_lint_opts_release(&o);
}

TEST(test_engine__unparsed_statements)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;
	const char *sql = "ALTER TABLE u DROP COLUMN a, ALTER COLUMN t SET EXPRESSION AS (1);";

	mg_lint_opts_init(&o);
	lint(sql, &o, &r);
	CHECK(r.input_error);
	CHECK_INT(r.diags.n, 1);
	CHECK_STR(r.diags.v[0].rule, "syntax-error");
	CHECK_INT(r.diags.v[0].column, 49);
	mg_lint_result_release(&r);
	o.pg_version = 17;
	lint(sql, &o, &r);
	CHECK(!r.input_error);
	CHECK_INT(r.diags.n, 2);
	CHECK_STR(r.diags.v[0].rule, "drop-column");
	CHECK(r.diags.v[0].has_lock); /* guessed from the tokens */
	CHECK_STR(r.diags.v[1].rule, "unparsed-statement");
	CHECK_INT(r.diags.v[1].severity, MG_SEV_WARNING);
	mg_lint_result_release(&r);
	mg_lint_opts_release(&o);
}

TEST(test_engine__downgrade_drop_is_info)
{
	struct mg_lint_opts o;
	struct mg_engine *e;
	struct run r;
	const struct mg_diag *d;

	mg_lint_opts_init(&o);
	e = mg_engine_new(&o);
	run_on(e, &r, "CREATE TABLE u (id int);", false, false);
	run_done(&r);
	run_on(e, &r, "ALTER TABLE u ADD COLUMN a int;", false, false);
	run_done(&r);
	run_on(e, &r, "ALTER TABLE u DROP COLUMN a; ALTER TABLE u DROP COLUMN id;",
	       false, true);
	CHECK_INT(r.diags.n, 2);
	d = &r.diags.v[0];
	CHECK_INT(d->severity, MG_SEV_INFO);
	CHECK_CONTAINS(d->message, "expected in a downgrade");
	CHECK(d->help == NULL);
	CHECK_INT(r.diags.v[1].severity, MG_SEV_ERROR);
	CHECK_INT(r.sum.infos, 1);
	run_done(&r);
	mg_engine_free(e);
	mg_lint_opts_release(&o);
}

TEST(test_engine__sqlite_dialect)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;

	mg_lint_opts_init(&o);
	o.dialect = MG_LINT_SQLITE;
	lint("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);\n"
	     "ALTER TABLE u DROP COLUMN a;\nCREATE INDEX i ON u (b);\n", &o, &r);
	CHECK(!r.input_error);
	CHECK(r.diags.n >= 1);
	CHECK_STR(r.diags.v[0].rule, "drop-column");
	CHECK(!r.diags.v[0].has_lock);
	for (size_t i = 0; i < r.diags.n; i++)
		CHECK(strcmp(r.diags.v[i].rule, "create-index-non-concurrent"));
	mg_lint_result_release(&r);
	lint("CREATE TABLE t (a int;\n", &o, &r);
	CHECK(r.input_error);
	CHECK_STR(r.diags.v[0].rule, "syntax-error");
	mg_lint_result_release(&r);
	mg_lint_opts_release(&o);
}

TEST(test_engine__fingerprint_ignores_layout)
{
	char a[17], b[17], c[17], d[17];
	const char *s1 = "ALTER TABLE u DROP COLUMN a;";
	const char *s2 = "ALTER  TABLE\n\tu -- why\n DROP COLUMN a;";
	const char *s3 = "ALTER TABLE u DROP COLUMN b;";

	mg_baseline_fingerprint("drop-column", s1, 0, strlen(s1), a);
	mg_baseline_fingerprint("drop-column", s2, 0, strlen(s2), b);
	mg_baseline_fingerprint("drop-column", s3, 0, strlen(s3), c);
	mg_baseline_fingerprint("other", s1, 0, strlen(s1), d);
	CHECK_STR(a, b);
	CHECK(strcmp(a, c));
	CHECK(strcmp(a, d));
	CHECK_INT(strlen(a), 16);
}

TEST(test_engine__baseline_round_trip)
{
	const char *dir = mg_test_tmpdir();
	char path[512];
	struct mg_lint_opts o;
	struct mg_lint_result r;
	struct mg_err err = MG_ERR_INIT;

	snprintf(path, sizeof(path), "%s/baseline.json", dir);
	mg_lint_opts_init(&o);
	lint("ALTER TABLE u DROP COLUMN a;\nALTER TABLE u DROP COLUMN a;\n", &o, &r);
	CHECK_INT(r.diags.n, 2);
	CHECK_INT(mg_baseline_write(path, r.diags.v, 1, &err), 0); /* only one */
	mg_lint_result_release(&r);
	lint("\n\nALTER TABLE u\n  DROP COLUMN a;\nALTER TABLE u DROP COLUMN a;\n", &o, &r);
	CHECK_INT(mg_lint_apply_baseline(&r, path, &err), 0);
	CHECK_INT(r.diags.n, 1); /* counts: one of the two is new */
	CHECK_INT(r.sum.baselined, 1);
	CHECK_INT(r.sum.errors, 1);
	mg_lint_result_release(&r);
	snprintf(path, sizeof(path), "%s/none.json", dir);
	lint("SELECT 1;", &o, &r);
	CHECK_INT(mg_lint_apply_baseline(&r, path, &err), MG_EIO);
	mg_err_release(&err);
	mg_lint_result_release(&r);
	mg_lint_opts_release(&o);
}

TEST(test_engine__never_crashes_on_garbage)
{
	static const char *const inputs[] = {
		"", ";;;", "-- only a comment", "/* unterminated", "$$", "$a$ x",
		"ALTER TABLE", "ALTER TABLE ONLY", "ALTER TABLE t DROP", "CREATE INDEX",
		"CREATE INDEX ON", "DROP INDEX CONCURRENTLY", "BEGIN; BEGIN; COMMIT; COMMIT;",
		"-- migrate:lint-ignore\n", "-- migrate:lint-ignore-file x -- y\n",
		"((((((((((((((((((((((((((((((((((((((((", "\"", "'", "E'\\",
		"ALTER TABLE t ADD CONSTRAINT c NOT NULL x, DROP COLUMN", NULL
	};
	struct mg_lint_opts o;
	struct mg_lint_result r;
	char deep[20000];

	mg_lint_opts_init(&o);
	for (int v = 15; v <= 17; v += 2) {
		o.pg_version = v;
		for (size_t i = 0; inputs[i]; i++) {
			lint(inputs[i], &o, &r);
			mg_lint_result_release(&r);
		}
	}
	memset(deep, '(', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	memcpy(deep, "SELECT ", 7);
	lint(deep, &o, &r);
	mg_lint_result_release(&r);
	o.dialect = MG_LINT_SQLITE;
	for (size_t i = 0; inputs[i]; i++) {
		lint(inputs[i], &o, &r);
		mg_lint_result_release(&r);
	}
	mg_lint_opts_release(&o);
	CHECK(1);
}

/* ---- the runner's gate ----------------------------------------------------------- */

TEST(test_engine__gate)
{
	const char *dir = mg_test_tmpdir();
	struct mg_migset set;
	struct mg_err err = MG_ERR_INIT;
	bool pending[3] = { false, true, true };
	const char *allow[] = { "drop-column" };
	char *out;
	size_t outlen;
	FILE *f;
	int rc;

	mg_test_write(dir, "m/20240101000000_a.sql",
		      "-- migrate:up\nCREATE TABLE u (id int, a int, b int);\n"
		      "-- migrate:down\nDROP TABLE u;\n");
	mg_test_write(dir, "m/20240201000000_b.sql",
		      "-- migrate:up\nCREATE INDEX u_a ON u (a);\n");
	mg_test_write(dir, "m/20240301000000_c.sql",
		      "-- migrate:up\n-- migrate:lint-ignore drop-column -- unused since 1.2\n"
		      "ALTER TABLE u DROP COLUMN b;\n");
	{
		char p[512];
		snprintf(p, sizeof(p), "%s/m", dir);
		CHECK_INT(mg_migset_load(&set, p, NULL, &err), 0);
	}
	f = open_memstream(&out, &outlen);
	rc = mg_lint_gate(&set, pending, NULL, NULL, 0, f, false, &err);
	fclose(f);
	CHECK_INT(rc, MG_EREFUSED);
	CHECK_STR(err.id, "lint-refused");
	CHECK_CONTAINS(err.msg, "1 lint error");
	CHECK_CONTAINS(out, "20240201000000_b.sql:2:1: error: index \"u_a\"");
	CHECK(!strstr(out, "DROP COLUMN b")); /* suppressed in the file */
	free(out);
	mg_err_release(&err);
	/* u was created by an applied migration: still context, never linted */
	pending[1] = false;
	rc = mg_lint_gate(&set, pending, NULL, NULL, 0, NULL, false, &err);
	CHECK_INT(rc, 0);
	/* --allow */
	pending[1] = true;
	allow[0] = "create-index-non-concurrent";
	rc = mg_lint_gate(&set, pending, NULL, allow, 1, NULL, false, &err);
	CHECK_INT(rc, 0);
	allow[0] = "create-index-non-concurent";
	rc = mg_lint_gate(&set, pending, NULL, allow, 1, NULL, false, &err);
	CHECK_INT(rc, MG_EUSAGE);
	CHECK_CONTAINS(err.hint, "create-index-non-concurrent");
	mg_err_release(&err);
	rc = mg_lint_gate(&set, NULL, NULL, NULL, 0, NULL, false, &err);
	CHECK_INT(rc, 0);
	{
		size_t migs[] = { 1, 2, 99 };
		rc = mg_lint_gate_list(&set, migs, 3, NULL, NULL, 0, NULL, false, &err);
		CHECK_INT(rc, MG_EREFUSED);
		mg_err_release(&err);
		rc = mg_lint_gate_list(&set, migs + 2, 1, NULL, NULL, 0, NULL, false, &err);
		CHECK_INT(rc, 0);
	}
	mg_migset_release(&set);

	mg_test_write(dir, "n/20240101000000_a.sql", "-- migrate:up\nCREATE TABL x ();\n");
	{
		char p[512];
		bool all[1] = { true };
		snprintf(p, sizeof(p), "%s/n", dir);
		CHECK_INT(mg_migset_load(&set, p, NULL, &err), 0);
		rc = mg_lint_gate(&set, all, NULL, NULL, 0, NULL, false, &err);
		CHECK_INT(rc, MG_EINPUT);
		mg_err_release(&err);
		mg_migset_release(&set);
	}
}

/* ---- metadata -------------------------------------------------------------------- */

TEST(test_engine__rule_metadata)
{
	const struct mg_rule_meta *m = mg_rule_meta_get("drop-column");
	size_t n;

	CHECK(m != NULL);
	CHECK(m->parse_error == NULL);
	CHECK_INT(m->severity, MG_SEV_ERROR);
	CHECK(m->summary[0] && m->why[0] && m->help[0]);
	CHECK_STR(m->lock_mode, "ACCESS EXCLUSIVE");
	CHECK(mg_rule_meta_get("no-such-rule") == NULL);
	CHECK(mg_rule_meta_all(&n) != NULL && n >= 3);
	CHECK(mg_rule_index("drop-column") >= 0);
	CHECK_STR(mg_rule_suggest("drop-colum"), "drop-column");
	CHECK_STR(mg_rule_suggest("unused-ignores"), "unused-ignore");
	CHECK(mg_rule_suggest("zzzzzzzzzzzzzzzzzzzzzz") == NULL);
	CHECK_INT(mg_severity_parse("warning"), MG_SEV_WARNING);
	CHECK_INT(mg_severity_parse("loud"), -1);
	/* every registered rule has metadata that parses, with the same
	 * severity as its C definition */
	for (size_t i = 0; mg_rules[i]; i++) {
		const struct mg_rule_meta *x = mg_rule_meta_get(mg_rules[i]->id);
		if (!x) {
			mg_test_fail(__FILE__, __LINE__, "no rules/%s.json", mg_rules[i]->id);
			return;
		}
		if (x->parse_error || x->severity != mg_rules[i]->default_severity) {
			mg_test_fail(__FILE__, __LINE__, "rules/%s.json: %s", mg_rules[i]->id,
				     x->parse_error ? x->parse_error : "severity differs");
			return;
		}
	}
}

TEST(test_engine__options_from_config)
{
	const char *dir = mg_test_tmpdir();
	char path[512];
	struct mg_config cfg;
	struct mg_config_args args;
	struct mg_lint_opts o;
	struct mg_err err = MG_ERR_INIT;

	snprintf(path, sizeof(path), "%s/migrate.json", dir);
	mg_test_write(dir, "migrate.json",
		      "{\"dialect\": \"sqlite\", \"lint\": {\"pg_version\": 13, "
		      "\"fail_on\": \"warning\", \"exclude\": [\"old/*\"], "
		      "\"rules\": {\"drop-column\": \"info\"}}}");
	memset(&args, 0, sizeof(args));
	args.file = path;
	CHECK_INT(mg_config_load(&cfg, &args, &err), 0);
	mg_lint_opts_init(&o);
	CHECK_INT(mg_lint_opts_from_config(&o, &cfg, &err), 0);
	CHECK_INT(o.dialect, MG_LINT_SQLITE);
	CHECK_INT(o.pg_version, 13);
	CHECK_INT(o.fail_on, MG_SEV_WARNING);
	CHECK_INT(o.nexclude, 1);
	CHECK_STR(o.exclude[0], "old/*");
	CHECK_INT(mg_engine_severity(&o, "drop-column", MG_SEV_ERROR), MG_SEV_INFO);
	mg_lint_opts_release(&o);
	mg_config_release(&cfg);
	mg_test_write(dir, "migrate.json", "{\"lint\": {\"rules\": {\"drop-colum\": \"off\"}}}");
	CHECK_INT(mg_config_load(&cfg, &args, &err), 0);
	mg_lint_opts_init(&o);
	CHECK_INT(mg_lint_opts_from_config(&o, &cfg, &err), MG_ECONFIG);
	CHECK_CONTAINS(err.msg, "drop-colum");
	mg_err_release(&err);
	mg_lint_opts_release(&o);
	mg_config_release(&cfg);
}

/* A script long enough to be walked in windows behaves like a short one:
 * positions, transactions and suppressions carry across windows. */
TEST(test_engine__long_script_in_windows)
{
	struct mg_lint_opts o;
	struct mg_lint_result r;
	struct mg_buf b = MG_BUF_INIT;
	size_t n = 0;

	mg_lint_opts_init(&o);
	mg_buf_adds(&b, "-- migrate:no-transaction\nBEGIN;\n");
	for (int i = 0; i < 6000; i++) {
		if (i == 4500)
			mg_buf_adds(&b, "-- migrate:lint-ignore drop-column -- ok\n"
					"ALTER TABLE u DROP COLUMN a;\n");
		mg_buf_addf(&b, "INSERT INTO t (a, padding) VALUES (%d, "
			    "'..........................................');\n", i);
	}
	mg_buf_adds(&b, "CREATE INDEX CONCURRENTLY t_a ON t (a);\nCOMMIT;\n"
			"ALTER TABLE u DROP COLUMN b;\n");
	CHECK(b.len > 300000);
	lint(b.buf, &o, &r);
	CHECK_INT(r.sum.statements, 6005);
	CHECK_INT(r.sum.suppressed, 1);
	for (size_t i = 0; i < r.diags.n; i++) {
		const struct mg_diag *d = &r.diags.v[i];
		if (!strcmp(d->rule, "concurrently-in-transaction")) {
			CHECK_INT(d->line, 6005);
			CHECK_CONTAINS(d->message, "inside the script's BEGIN");
			n++;
		} else if (!strcmp(d->rule, "drop-column")) {
			CHECK_INT(d->line, 6007);
			n++;
		}
	}
	CHECK_INT(n, 2);
	mg_lint_result_release(&r);
	mg_buf_release(&b);
	mg_lint_opts_release(&o);
}
