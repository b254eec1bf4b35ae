/*
 * drop-not-null: ALTER TABLE ... ALTER COLUMN ... DROP NOT NULL on a table
 * that exists before the migration (docs/rules/drop-not-null.md).
 *
 * Quiet when:
 *  - the table or the column was created earlier in the same script;
 *  - the replayed history shows the column is already nullable (the
 *    statement changes nothing; only trusted for tables whose CREATE the
 *    catalog saw, not for tables known only from ALTERs);
 *  - the same script drops the column later (drop-column reports that).
 * Statements the grammar cannot parse are read from their tokens:
 * ALTER TABLE name ... ALTER [COLUMN] col DROP NOT NULL.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

#define NAMELEN 64

static const char *sch(const char *s)
{
	return s && s[0] ? s : "public";
}

/* A later statement of the script drops schema.table's column col. */
static bool dropped_later(struct mg_lint_ctx *ctx, size_t from, const char *schema,
			  const char *table, const char *col)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const cJSON *rv, *it;
		if (!s || !s->kind || strcmp(s->kind, "AlterTableStmt"))
			continue;
		rv = mg_node_get(s->node, "relation");
		if (!mg_node_str(rv, "relname") || strcmp(mg_node_str(rv, "relname"), table) ||
		    strcmp(sch(mg_node_str(rv, "schemaname")), sch(schema)))
			continue;
		cJSON_ArrayForEach(it, mg_node_get(s->node, "cmds")) {
			const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
			const char *sub = mg_node_str(cmd, "subtype");
			const char *name = mg_node_str(cmd, "name");
			if (sub && name && !strcmp(sub, "AT_DropColumn") && !strcmp(name, col))
				return true;
		}
	}
	return false;
}

/* A downgrade normally undoes what its upgrade did (the app version being
 * rolled back to expects that), so there it is an info. */
static const char *down_note(const struct mg_lint_ctx *ctx, struct mg_report_opt *o)
{
	if (!mg_lint_is_down(ctx))
		return "";
	o->severity = MG_SEV_INFO;
	return " (in a downgrade: expected when it undoes the matching upgrade)";
}

/* Token level: CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name. */
static bool tokens_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s,
			  const char *schema, const char *name)
{
	size_t n, i = 1;
	const struct mg_token *t = mg_lint_tokens(ctx, s, &n);
	const char *text = mg_lint_text(ctx);
	char a[64] = "", b[64] = "";

	if (!mg_lint_tok_match(ctx, s, 0, "CREATE", NULL))
		return false;
	while (i < n && (mg_lint_tok_match(ctx, s, i, "TEMP", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "TEMPORARY", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "UNLOGGED", NULL)))
		i++;
	if (!mg_lint_tok_match(ctx, s, i, "TABLE", NULL))
		return false;
	i++;
	if (mg_lint_tok_match(ctx, s, i, "IF", "NOT", "EXISTS", NULL))
		i += 3;
	if (i >= n)
		return false;
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], a, sizeof(a));
		mg_lint_tok_ident(ctx, &t[i + 2], b, sizeof(b));
	} else {
		mg_lint_tok_ident(ctx, &t[i], b, sizeof(b));
	}
	return !strcmp(b, name) &&
	       !strcmp(a[0] ? a : "public", schema && schema[0] ? schema : "public");
}

/* Created earlier in this script by a CREATE TABLE the grammar could not
 * parse (newer PostgreSQL syntax, SQLite's AUTOINCREMENT): the catalog
 * does not know it, but it is just as new. */
static bool created_unparsed(struct mg_lint_ctx *ctx, size_t upto,
			     const char *schema, const char *name)
{
	for (size_t j = 0; j < upto && name; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		if (s && !s->kind && tokens_create(ctx, s, schema, name))
			return true;
	}
	return false;
}

static void report(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		   const char *schema, const char *table, const char *col,
		   size_t off, size_t len)
{
	struct mg_report_opt o = { 0 };
	const struct mg_cat_table *t = mg_lint_table_named(ctx, schema, table);
	const struct mg_cat_column *c = mg_cat_column(t, col);
	char shown[2 * NAMELEN + 2];

	if (mg_lint_column_origin(ctx, t, c) == MG_ORIGIN_NEW)
		return;
	if ((!t || t->stub) && created_unparsed(ctx, st->index, schema, table))
		return;
	if (t && t->temp)
		return;
	if (t && !t->stub && c && !c->not_null && c->type.name[0])
		return; /* already nullable: a no-op */
	if (dropped_later(ctx, st->index, schema, table, col))
		return;
	snprintf(shown, sizeof(shown), "%s%s%s", schema && schema[0] ? schema : "",
		 schema && schema[0] ? "." : "", table);
	mg_lint_report_opt(ctx, &o, off, len,
		       "column \"%s\" of table \"%s\" loses NOT NULL: once the new app "
		       "version writes NULLs, the version still running reads rows "
		       "its code assumes have a value%s", col, shown, down_note(ctx, &o));
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	size_t i = 0;
	const cJSON *it;

	if (ot && strcmp(ot, "OBJECT_TABLE") && strcmp(ot, "OBJECT_FOREIGN_TABLE"))
		return;
	if (!mg_node_str(rel, "relname"))
		return;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *col = mg_node_str(cmd, "name");
		size_t off, end;
		if (sub && col && !strcmp(sub, "AT_DropNotNull")) {
			mg_lint_cmd_span(ctx, st, i, &off, &end);
			report(ctx, st, mg_node_str(rel, "schemaname"),
			       mg_node_str(rel, "relname"), col, off, end - off);
		}
		i++;
	}
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, name;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[NAMELEN] = "", table[NAMELEN], col[NAMELEN];

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
	for (i = name + 1; i < n; i++) {
		size_t k = i + 1;
		if (!mg_lint_tok_match(ctx, st, i, "ALTER", NULL))
			continue;
		if (mg_lint_tok_match(ctx, st, k, "COLUMN", NULL))
			k++;
		if (!mg_lint_tok_match(ctx, st, k, "*", "DROP", "NOT", "NULL", NULL))
			continue;
		mg_lint_tok_ident(ctx, &t[k], col, sizeof(col));
		report(ctx, st, schema, table, col, t[i].off, t[k + 3].end - t[i].off);
	}
}

const struct mg_rule mg_rule_drop_not_null = {
	.id = "drop-not-null",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
