/*
 * drop-column: ALTER TABLE ... DROP COLUMN on a table that exists before
 * the migration (docs/rules/drop-column.md).
 *
 * Quiet when the column (or its table) was created earlier in the same
 * script. In a downgrade, dropping a column the matching upgrade added is
 * reported as info ("expected"). Statements the grammar cannot parse are
 * checked from their tokens: ALTER TABLE name ... DROP [COLUMN] [IF EXISTS]
 * col (but not DROP CONSTRAINT / DEFAULT / NOT NULL / IDENTITY ...).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static void report_drop(struct mg_lint_ctx *ctx, const struct mg_cat_table *t,
			const char *table, const char *col, size_t off, size_t len)
{
	const struct mg_cat_column *c = mg_cat_column(t, col);
	enum mg_origin origin = mg_lint_column_origin(ctx, t, c);
	struct mg_report_opt o = { 0 };

	if (origin == MG_ORIGIN_NEW)
		return; /* added earlier in this script: nobody uses it yet */
	o.dropped = origin;
	if (origin == MG_ORIGIN_UPGRADE)
		mg_lint_report_opt(ctx, &o, off, len,
				   "column \"%s\" of table \"%s\" is dropped", col, table);
	else
		mg_lint_report_opt(ctx, &o, off, len,
				   "column \"%s\" of table \"%s\" is dropped while the "
				   "running app version may still read or write it",
				   col, table);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const struct mg_cat_table *t = mg_lint_table(ctx, rel);
	const char *ot = mg_node_str(st->node, "objtype");
	char table[140];
	size_t i = 0;
	const cJSON *it;

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *col = mg_node_str(cmd, "name");
		size_t off, end;
		if (sub && col && !strcmp(sub, "AT_DropColumn")) {
			mg_lint_cmd_span(ctx, st, i, &off, &end);
			report_drop(ctx, t, table, col, off, end - off);
		}
		i++;
	}
}

/* Words after DROP that do not introduce a column name. */
static bool not_a_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 size_t i)
{
	static const char *const words[] = {
		"CONSTRAINT", "DEFAULT", "NOT", "IDENTITY", "EXPRESSION", "OWNED",
		"ROW", "TRIGGER", "RULE", "POLICY", NULL
	};
	for (size_t k = 0; words[k]; k++)
		if (mg_lint_tok_match(ctx, st, i, words[k], NULL))
			return true;
	return false;
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, name;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[64] = "", table[64], col[64], shown[140];
	const struct mg_cat_table *tab;

	if (!mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		return;
	i = 2;
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
		i++;
	if (i >= n)
		return;
	name = i;
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], schema, sizeof(schema));
		name = i + 2;
	}
	mg_lint_tok_ident(ctx, &t[name], table, sizeof(table));
	tab = mg_lint_table_named(ctx, schema, table);
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW)
		return;
	snprintf(shown, sizeof(shown), "%s%s%s", schema, schema[0] ? "." : "", table);
	for (i = name + 1; i < n; i++) {
		size_t k = i + 1, start = t[i].off;
		if (!mg_lint_tok_match(ctx, st, i, "DROP", NULL))
			continue;
		if (mg_lint_tok_match(ctx, st, k, "COLUMN", NULL))
			k++;
		else if (not_a_column(ctx, st, k))
			continue;
		if (mg_lint_tok_match(ctx, st, k, "IF", "EXISTS", NULL))
			k += 2;
		if (k >= n || text[t[k].off] == ',' || text[t[k].off] == ';')
			continue;
		mg_lint_tok_ident(ctx, &t[k], col, sizeof(col));
		report_drop(ctx, tab, shown, col, start, t[k].end - start);
	}
}

const struct mg_rule mg_rule_drop_column = {
	.id = "drop-column",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES | MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
