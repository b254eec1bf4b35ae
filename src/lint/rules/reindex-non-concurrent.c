/*
 * reindex-non-concurrent: REINDEX without CONCURRENTLY.
 *
 * A plain REINDEX holds SHARE on the table (writes blocked) and ACCESS
 * EXCLUSIVE on each index it rebuilds for the whole rebuild; since the
 * planner locks every index of a table when it plans a query, nearly every
 * query on the table waits too. REINDEX ... CONCURRENTLY (PostgreSQL 12+)
 * builds the new index next to the old one and swaps them with only brief
 * locks. Before 12 there is no concurrent form: the finding says so and the
 * help describes the manual replacement (CREATE INDEX CONCURRENTLY a copy,
 * DROP INDEX CONCURRENTLY the old one, rename).
 *
 * REINDEX SYSTEM has no concurrent form at any version (system catalogs
 * cannot be reindexed concurrently).
 *
 * Not reported: REINDEX INDEX / TABLE of an index or table created earlier
 * in the same script.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "ReindexStmt", NULL };

static const char pre12_help[] =
	"PostgreSQL before 12 has no REINDEX CONCURRENTLY: build a replacement "
	"with CREATE INDEX CONCURRENTLY, drop the old index with DROP INDEX "
	"CONCURRENTLY and rename the new one (constraint-backing indexes need "
	"ADD CONSTRAINT ... USING INDEX instead), or run the REINDEX in a "
	"maintenance window.";

static const char system_help[] =
	"System catalogs cannot be reindexed concurrently: run REINDEX SYSTEM in "
	"a maintenance window, outside the migrations.";

/* The CONCURRENTLY option is on (REINDEX (CONCURRENTLY [true]) ... or
 * REINDEX ... CONCURRENTLY). */
static bool concurrently(const cJSON *n)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, mg_node_get(n, "params")) {
		const cJSON *de = mg_node_get(it, "DefElem");
		const char *dn = mg_node_str(de, "defname");
		const cJSON *arg = mg_node_get(de, "arg");
		const char *s;
		if (!dn || strcmp(dn, "concurrently"))
			continue;
		if (!arg)
			return true;
		if (mg_node_get(arg, "Boolean"))
			return mg_node_bool(mg_node_get(arg, "Boolean"), "boolval");
		if (mg_node_get(arg, "Integer"))
			return mg_node_int(mg_node_get(arg, "Integer"), "ival", 0) != 0;
		s = mg_lint_strval(arg);
		return !s || !(strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0 ||
			       strcmp(s, "0") == 0);
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *n = st->node;
	const char *kind = mg_node_str(n, "kind");
	const cJSON *rv = mg_node_get(n, "relation");
	const struct mg_catalog *cat = mg_lint_catalog(ctx);
	const char *what, *kw;
	char name[160], table[160] = "its table";
	struct mg_report_opt o = { 0 };
	struct mg_lock lk;
	size_t off, end;
	int pg = mg_lint_pg_version(ctx);

	if (!kind || concurrently(n))
		return;
	if (!strcmp(kind, "REINDEX_OBJECT_INDEX")) {
		const struct mg_cat_index *ix =
			mg_cat_index(cat, mg_node_str(rv, "schemaname"),
				     mg_node_str(rv, "relname"));
		if (ix && (mg_lint_gen_origin(ctx, ix->gen) == MG_ORIGIN_NEW ||
			   mg_lint_table_origin(ctx, mg_cat_table(cat, ix->schema,
								   ix->table)) ==
				   MG_ORIGIN_NEW))
			return;
		what = "index";
		kw = "INDEX";
		mg_lint_rv_name(rv, name, sizeof(name));
		/* the lock that matters: ACCESS EXCLUSIVE on the index itself
		 * (the engine's default names SHARE on it, which is the table's) */
		memset(&lk, 0, sizeof(lk));
		lk.mode = MG_LOCK_ACCESS_EXCLUSIVE;
		snprintf(lk.schema, sizeof(lk.schema), "%s",
			 ix ? ix->schema : mg_node_str(rv, "schemaname") ?
			 mg_node_str(rv, "schemaname") : "public");
		snprintf(lk.relation, sizeof(lk.relation), "%s",
			 mg_node_str(rv, "relname") ? mg_node_str(rv, "relname") : "");
		lk.origin = MG_ORIGIN_EXISTING;
		o.lock = &lk;
		if (ix)
			snprintf(table, sizeof(table), "\"%s\"", ix->table);
	} else if (!strcmp(kind, "REINDEX_OBJECT_TABLE")) {
		if (mg_lint_rv_is_new(ctx, rv))
			return;
		what = "table";
		kw = "TABLE";
		mg_lint_rv_name(rv, name, sizeof(name));
		/* SHARE on the table (stated here: the engine's guess does not
		 * read "(CONCURRENTLY false)") */
		memset(&lk, 0, sizeof(lk));
		lk.mode = MG_LOCK_SHARE;
		snprintf(lk.schema, sizeof(lk.schema), "%s",
			 mg_node_str(rv, "schemaname") ? mg_node_str(rv, "schemaname") :
			 "public");
		snprintf(lk.relation, sizeof(lk.relation), "%s",
			 mg_node_str(rv, "relname") ? mg_node_str(rv, "relname") : "");
		lk.origin = MG_ORIGIN_EXISTING;
		lk.scan = true;
		o.lock = &lk;
	} else {
		const char *nm = mg_node_str(n, "name");
		what = !strcmp(kind, "REINDEX_OBJECT_SCHEMA") ? "schema" :
		       !strcmp(kind, "REINDEX_OBJECT_SYSTEM") ? "system" : "database";
		kw = !strcmp(what, "schema") ? "SCHEMA" :
		     !strcmp(what, "system") ? "SYSTEM" : "DATABASE";
		snprintf(name, sizeof(name), "%s", nm ? nm : "");
		o.no_lock = true; /* one table after another */
	}
	if (!mg_lint_word_span(ctx, st, st->stmt->off, kw, &off, &end)) {
		off = st->stmt->off;
		end = off;
	}
	if (!strcmp(what, "system")) {
		o.help = system_help;
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "REINDEX SYSTEM rebuilds every system catalog index, "
				   "blocking writes to each catalog and nearly every query "
				   "that touches it; it has no concurrent form");
		return;
	}
	if (pg < 12)
		o.help = pre12_help;
	if (!strcmp(what, "index"))
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "REINDEX INDEX \"%s\" without CONCURRENTLY blocks writes to "
				   "%s and, holding ACCESS EXCLUSIVE on the index, "
				   "nearly every query that plans against it%s",
				   name, table, pg < 12 ? " (PostgreSQL before 12 has no "
				   "concurrent form)" : "");
	else if (!strcmp(what, "table"))
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "REINDEX TABLE \"%s\" without CONCURRENTLY blocks writes to "
				   "\"%s\" and, holding ACCESS EXCLUSIVE on each index, nearly "
				   "every query on it while its indexes are rebuilt%s",
				   name, name, pg < 12 ? " (PostgreSQL before 12 has no "
				   "concurrent form)" : "");
	else
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "REINDEX %s%s%s%s without CONCURRENTLY rebuilds every index "
				   "in it, blocking writes to each table (and nearly every "
				   "query on it) in turn%s", kw, name[0] ? " \"" : "", name,
				   name[0] ? "\"" : "", pg < 12 ? " (PostgreSQL before 12 has "
				   "no concurrent form)" : "");
}

const struct mg_rule mg_rule_reindex_non_concurrent = {
	.id = "reindex-non-concurrent",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
