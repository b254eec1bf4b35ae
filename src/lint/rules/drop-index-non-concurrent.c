/*
 * drop-index-non-concurrent: DROP INDEX without CONCURRENTLY.
 *
 * A plain DROP INDEX takes ACCESS EXCLUSIVE on the index's table. The drop
 * itself is quick, but the lock request waits behind every running query on
 * the table, and every query that arrives after it waits behind the DROP:
 * one long-running SELECT turns it into an outage. DROP INDEX CONCURRENTLY
 * waits for those queries without blocking anyone (it cannot run inside a
 * transaction block and drops one index per statement).
 *
 * Not reported: indexes created earlier in the same script, and indexes on
 * tables created earlier in the same script (nobody else uses them yet);
 * indexes whose table the transaction already holds in ACCESS EXCLUSIVE
 * (an earlier ALTER TABLE took it: the DROP adds no blocking of its own,
 * dml-after-exclusive-lock is about that).
 * Indexes the catalog does not know are reported (their table is assumed
 * to be in use). A partitioned table's index has no concurrent drop; the
 * finding then says so and suggests a lock_timeout instead.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

static const char partitioned_help[] =
	"DROP INDEX CONCURRENTLY does not work on a partitioned table's index: "
	"run the DROP with a short lock_timeout (SET lock_timeout = '2s') and "
	"retry it, so it never queues traffic for long.";

/* The current transaction already holds ACCESS EXCLUSIVE on schema.rel
 * (taken by an earlier statement): this statement adds no new blocking. */
static bool already_locked(const struct mg_lint_ctx *ctx, const char *schema,
			   const char *rel)
{
	const struct mg_txn_lock *tl;
	size_t n = mg_lint_txn_locks(ctx, &tl);

	for (size_t i = 0; i < n; i++)
		if (tl[i].lock.mode == MG_LOCK_ACCESS_EXCLUSIVE && rel &&
		    !strcmp(tl[i].lock.relation, rel) &&
		    !strcmp(tl[i].lock.schema, schema && schema[0] ? schema : "public"))
			return true;
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const struct mg_catalog *cat = mg_lint_catalog(ctx);
	const cJSON *it;
	char names[256] = "", table[160] = "";
	size_t n = 0, nbad = 0, off, end;
	bool partitioned = false, multi_tables = false;
	struct mg_report_opt o = { 0 };

	if (!rt || strcmp(rt, "OBJECT_INDEX") || mg_node_bool(st->node, "concurrent"))
		return;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
		const char *schema = NULL, *name = NULL;
		const cJSON *x;
		const struct mg_cat_index *ix;
		const struct mg_cat_table *t = NULL;

		cJSON_ArrayForEach(x, items) {
			schema = name;
			name = mg_lint_strval(x);
		}
		if (!name)
			continue;
		ix = mg_cat_index(cat, schema, name);
		if (ix) {
			t = mg_cat_table(cat, ix->schema, ix->table);
			if (mg_lint_gen_origin(ctx, ix->gen) == MG_ORIGIN_NEW ||
			    mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
				continue; /* new: nobody else uses it */
			if (already_locked(ctx, ix->schema, ix->table))
				continue; /* the transaction already blocks the table */
			if (t && t->partitioned)
				partitioned = true;
			if (!table[0])
				snprintf(table, sizeof(table), "%s", ix->table);
			else if (strcmp(table, ix->table))
				multi_tables = true;
		}
		nbad++;
		if (n < sizeof(names))
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s\"%s%s%s\"",
					      n ? ", " : "", schema ? schema : "",
					      schema ? "." : "", name);
	}
	if (!nbad)
		return;
	if (!mg_lint_word_span(ctx, st, st->stmt->off, "INDEX", &off, &end))
		end = off;
	if (partitioned)
		o.help = partitioned_help;
	if (table[0] && !multi_tables && nbad == 1)
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "dropping index %s of table \"%s\" without CONCURRENTLY "
				   "waits for, then blocks, every query on the table",
				   names, table);
	else
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "dropping index%s %s without CONCURRENTLY waits for, then "
				   "blocks, every query on %s%s", nbad > 1 ? "es" : "", names,
				   multi_tables || nbad > 1 ? "their tables" : "its table",
				   nbad > 1 ? " (CONCURRENTLY drops one index per statement)" : "");
}

const struct mg_rule mg_rule_drop_index_non_concurrent = {
	.id = "drop-index-non-concurrent",
	.default_severity = MG_SEV_WARNING,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
