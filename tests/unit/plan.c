/* Unit tests: src/run/plan (pending, applied, dirty, drifted, missing,
 * out of order). */
#include <stdlib.h>

#include "core/xalloc.h"
#include "migset/migset.h"
#include "run/plan.h"
#include "test.h"

static void add_row(struct mg_ledger_rows *rows, const char *v, const char *sum,
		    bool dirty)
{
	struct mg_ledger_row *r;

	MG_GROW(rows->v, rows->cap, rows->n + 1);
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof(*r));
	r->version = mg_xstrdup(v);
	r->checksum = sum ? mg_xstrdup(sum) : NULL;
	r->state = mg_xstrdup(dirty ? "running" : "applied");
	r->dirty = dirty;
}

static void load(const char *d, struct mg_migset *s)
{
	struct mg_err e = MG_ERR_INIT;
	if (mg_migset_load(s, d, NULL, &e)) {
		mg_err_print(stdout, &e);
		exit(2);
	}
}

TEST(test_plan__states)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_ledger_rows rows = { 0 };
	struct mg_plan p;

	mg_test_write(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a (x int);\n");
	mg_test_write(d, "0002_b.sql", "-- migrate:up\nCREATE TABLE b (x int);\n");
	mg_test_write(d, "0003_c.sql", "-- migrate:up\nCREATE TABLE c (x int);\n");
	mg_test_write(d, "0005_e.sql", "-- migrate:up\nCREATE TABLE e (x int);\n");
	load(d, &s);
	/* rows in any order; one version spelled differently (by value) */
	add_row(&rows, "4", NULL, false);                     /* missing file */
	add_row(&rows, "0003", "0000", false);                /* drifted */
	add_row(&rows, "1", s.items[0].up.checksum, false);   /* applied */
	add_row(&rows, "0005", NULL, true);                   /* dirty */
	mg_plan_build(&p, &s, &rows);
	CHECK_INT(p.n, 5);
	CHECK_INT(p.items[0].state, MG_PLAN_APPLIED);
	CHECK(!p.items[0].drifted);
	CHECK_INT(p.items[1].state, MG_PLAN_PENDING);
	CHECK(p.items[1].out_of_order);
	CHECK_INT(p.items[2].state, MG_PLAN_APPLIED);
	CHECK(p.items[2].drifted);
	CHECK_INT(p.items[3].state, MG_PLAN_MISSING);
	CHECK_INT(p.items[3].mig, -1);
	CHECK_STR(mg_plan_version(&p, &s, &rows, 3), "4");
	CHECK_INT(p.items[4].state, MG_PLAN_DIRTY);
	CHECK_INT(p.napplied, 2);
	CHECK_INT(p.npending, 1);
	CHECK_INT(p.nmissing, 1);
	CHECK_INT(p.ndirty, 1);
	CHECK_INT(p.ndrifted, 1);
	CHECK_INT(p.nout_of_order, 1);
	CHECK_STR(p.newest, "0005");
	mg_plan_release(&p);
	mg_ledger_rows_release(&rows);
	mg_migset_release(&s);
}

TEST(test_plan__null_checksum_is_not_drift)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_ledger_rows rows = { 0 };
	struct mg_plan p;

	mg_test_write(d, "20240101000000_a.sql", "-- migrate:up\nSELECT 1;\n");
	mg_test_write(d, "20240102000000_b.sql", "-- migrate:up\nSELECT 2;\n");
	load(d, &s);
	add_row(&rows, "20240101000000", NULL, false); /* dbmate-style row */
	mg_plan_build(&p, &s, &rows);
	CHECK_INT(p.items[0].state, MG_PLAN_APPLIED);
	CHECK(!p.items[0].drifted);
	CHECK_INT(p.items[1].state, MG_PLAN_PENDING);
	CHECK(!p.items[1].out_of_order);
	CHECK_INT(p.ndrifted, 0);
	mg_plan_release(&p);
	mg_ledger_rows_release(&rows);
	mg_migset_release(&s);
}

TEST(test_plan__empty_ledger_and_missing_only)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_ledger_rows rows = { 0 };
	struct mg_plan p;

	mg_test_write(d, "0001_a.up.sql", "SELECT 1;\n");
	load(d, &s);
	mg_plan_build(&p, &s, &rows);
	CHECK_INT(p.n, 1);
	CHECK_INT(p.npending, 1);
	CHECK(p.newest == NULL);
	mg_plan_release(&p);
	mg_migset_release(&s);

	/* (a directory with no migration at all is not loaded here: see the
	 * report about qsort(NULL, 0) in migset.c) */
	load(d, &s);
	add_row(&rows, "7", "x", false);
	mg_plan_build(&p, &s, &rows);
	CHECK_INT(p.n, 2);
	CHECK_INT(p.nmissing, 1);
	CHECK_INT(p.items[1].state, MG_PLAN_MISSING);
	CHECK(p.items[0].out_of_order); /* older than the recorded 7 */
	mg_plan_release(&p);
	mg_ledger_rows_release(&rows);
	mg_migset_release(&s);
}

TEST(test_plan__versions_by_value_not_text)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_ledger_rows rows = { 0 };
	struct mg_plan p;

	mg_test_write(d, "v1.2.0/upgrade.sql", "SELECT 1;\n");
	mg_test_write(d, "v1.2.0_to_v1.10.0/upgrade.sql", "SELECT 1;\n");
	load(d, &s);
	add_row(&rows, "1.10.0", NULL, false);
	mg_plan_build(&p, &s, &rows);
	CHECK_INT(p.items[0].state, MG_PLAN_PENDING);
	CHECK(p.items[0].out_of_order); /* 1.2.0 < 1.10.0 */
	CHECK_INT(p.items[1].state, MG_PLAN_APPLIED);
	mg_plan_release(&p);
	mg_ledger_rows_release(&rows);
	mg_migset_release(&s);
}
