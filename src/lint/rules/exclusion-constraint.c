/*
 * exclusion-constraint: ALTER TABLE ... ADD [CONSTRAINT c] EXCLUDE (...) on
 * a table that already exists.
 *
 * PostgreSQL builds the constraint's index and checks every row against
 * every other while holding ACCESS EXCLUSIVE on the table: no reads or
 * writes for the whole build. Unlike CHECK and FOREIGN KEY, EXCLUDE cannot
 * be added NOT VALID ("EXCLUDE constraints cannot be marked NOT VALID"),
 * and unlike UNIQUE it cannot be attached USING INDEX: there is no online
 * form, so the message says so instead of suggesting one that fails.
 *
 * Not reported: tables created earlier in the same script (declaring the
 * constraint in CREATE TABLE is the way to have one without this cost).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160];

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *con = mg_node_get(mg_node_get(cmd, "def"), "Constraint");
		const char *ct = mg_node_str(con, "contype");
		const char *nm = mg_node_str(con, "conname");
		char label[80] = "an exclusion constraint";

		if (!sub || strcmp(sub, "AT_AddConstraint") || !ct ||
		    strcmp(ct, "CONSTR_EXCLUSION"))
			continue;
		if (nm)
			snprintf(label, sizeof(label), "exclusion constraint \"%s\"", nm);
		mg_lint_report_node(ctx, st, con,
				    "adding %s to existing table \"%s\" builds its index and "
				    "checks every row while the table is locked; EXCLUDE "
				    "cannot be added NOT VALID or USING INDEX, so there is no "
				    "online way to add it", label, table);
	}
}

const struct mg_rule mg_rule_exclusion_constraint = {
	.id = "exclusion-constraint",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
