/*
 * add-column-stored-generated: ALTER TABLE ... ADD COLUMN c ... GENERATED
 * ALWAYS AS (expr) STORED on a table that already exists.
 *
 * PostgreSQL computes and stores the expression for every existing row: a
 * full rewrite of the table and its indexes under ACCESS EXCLUSIVE, whatever
 * the expression. (PostgreSQL 18's VIRTUAL generated columns are computed on
 * read and added without a rewrite; the 15 grammar cannot parse them, so
 * they never reach this rule.)
 *
 * Not reported: tables created earlier in the same script; foreign tables.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

/* Up to three quoted names, then "and N more", for messages. */
struct names {
	const char *v[3];
	size_t n;
};

static void names_add(struct names *l, const char *name)
{
	if (l->n < 3)
		l->v[l->n] = name;
	l->n++;
}

static const char *names_text(const struct names *l, char *buf, size_t size)
{
	size_t len = 0, shown = l->n < 3 ? l->n : 3;

	buf[0] = '\0';
	for (size_t i = 0; i < shown && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s\"%s\"",
					i == 0 ? "" : (i + 1 == shown && l->n == shown) ?
					" and " : ", ", l->v[i]);
	if (l->n > shown && len < size)
		snprintf(buf + len, size - len, " and %zu more", l->n - shown);
	return buf;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it, *first = NULL;
	struct names cols = { { NULL }, 0 };
	char table[160], list[400];

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->kind == MG_REL_FOREIGN)
		return;
	/* one rewrite per statement, however many columns: one finding, at
	 * the first stored generated column, naming the others */
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *cd = mg_node_get(mg_node_get(cmd, "def"), "ColumnDef");
		const char *col = mg_node_str(cd, "colname");
		const cJSON *c;

		if (!sub || strcmp(sub, "AT_AddColumn") || !col)
			continue;
		if (t && mg_node_bool(cmd, "missing_ok") && mg_cat_column(t, col))
			continue; /* IF NOT EXISTS on a column that is there */
		cJSON_ArrayForEach(c, mg_node_get(cd, "constraints")) {
			const cJSON *con = mg_node_get(c, "Constraint");
			const char *ct = mg_node_str(con, "contype");
			if (!ct || strcmp(ct, "CONSTR_GENERATED"))
				continue;
			if (!first)
				first = con;
			names_add(&cols, col);
			break;
		}
	}
	if (!first)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	names_text(&cols, list, sizeof(list));
	if (cols.n == 1)
		mg_lint_report_node(ctx, st, first,
				    "adding stored generated column %s to existing table "
				    "\"%s\" rewrites the whole table to compute it for every "
				    "row", list, table);
	else
		mg_lint_report_node(ctx, st, first,
				    "adding %zu stored generated columns (%s) to existing "
				    "table \"%s\" rewrites the whole table to compute them for "
				    "every row", cols.n, list, table);
}

const struct mg_rule mg_rule_add_column_stored_generated = {
	.id = "add-column-stored-generated",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
