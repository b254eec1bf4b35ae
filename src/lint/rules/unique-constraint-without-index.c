/*
 * unique-constraint-without-index: ALTER TABLE ... ADD [CONSTRAINT c]
 * UNIQUE (...) without USING INDEX on a table that already exists, and
 * ADD COLUMN ... UNIQUE there.
 *
 * PostgreSQL builds the unique index inside the ALTER TABLE while holding
 * ACCESS EXCLUSIVE on the table: no reads or writes for the whole build.
 * The online form builds the index first with CREATE UNIQUE INDEX
 * CONCURRENTLY and then attaches it with ADD CONSTRAINT ... UNIQUE USING
 * INDEX, which only takes the lock for a moment.
 *
 * Not reported: tables created earlier in the same script.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static void keys_text(const cJSON *con, char *buf, size_t size)
{
	const cJSON *it;
	size_t n = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(it, mg_node_get(con, "keys")) {
		const char *s = mg_lint_strval(it);
		if (s && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", s);
	}
}

static const char partition_help[] =
	"A partitioned table has no USING INDEX form: create the unique index "
	"CONCURRENTLY on each partition and make it that partition's constraint "
	"with ADD CONSTRAINT ... UNIQUE USING INDEX; adding the constraint to "
	"the parent afterwards adopts those indexes instead of building new ones.";

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160], keys[160];
	struct mg_report_opt o = { 0 };

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->partitioned)
		o.help = partition_help;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *def = mg_node_get(cmd, "def");
		const cJSON *con, *c;

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			const char *col = mg_node_str(cd, "colname");
			if (!col || (t && mg_node_bool(cmd, "missing_ok") &&
				     mg_cat_column(t, col)))
				continue;
			cJSON_ArrayForEach(c, mg_node_get(cd, "constraints")) {
				con = mg_node_get(c, "Constraint");
				const char *ct = mg_node_str(con, "contype");
				if (ct && !strcmp(ct, "CONSTR_UNIQUE"))
					mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
							   "adding column \"%s\" with UNIQUE to "
							   "existing table \"%s\" builds a unique index "
							   "over every row while the table is locked",
							   col, table);
			}
			continue;
		}
		if (strcmp(sub, "AT_AddConstraint"))
			continue;
		con = mg_node_get(def, "Constraint");
		if (strcmp(mg_node_str(con, "contype") ? mg_node_str(con, "contype") : "",
			   "CONSTR_UNIQUE") || mg_node_str(con, "indexname"))
			continue;
		keys_text(con, keys, sizeof(keys));
		if (mg_node_str(con, "conname"))
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
					   "adding UNIQUE constraint \"%s\" (%s) to existing table "
					   "\"%s\" builds its unique index over every row while "
					   "the table is locked",
					   mg_node_str(con, "conname"), keys, table);
		else
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
					   "adding UNIQUE (%s) to existing table \"%s\" builds its "
					   "unique index over every row while the table is locked",
					   keys, table);
	}
}

const struct mg_rule mg_rule_unique_constraint_without_index = {
	.id = "unique-constraint-without-index",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
