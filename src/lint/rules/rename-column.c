/*
 * rename-column: ALTER TABLE ... RENAME [COLUMN] a TO b on a table (or
 * view) that exists before the migration (docs/rules/rename-column.md).
 * PostgreSQL and SQLite.
 *
 * Quiet when the table was created earlier in the same script, when the
 * column was added earlier in the same script, and for temporary tables.
 * Renaming a column of a view is reported too (queries selecting it by
 * name fail the same way). Statements the grammar cannot parse are read
 * from their tokens: ALTER TABLE [IF EXISTS] [ONLY] name RENAME [COLUMN]
 * a TO b.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "RenameStmt", NULL };

#define NAMELEN 64

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
		   const char *schema, const char *table,
		   const char *col, const char *newname, bool view,
		   size_t off, size_t len)
{
	struct mg_report_opt o = { 0 };
	const struct mg_cat_table *t = mg_lint_table_named(ctx, schema, table);
	const struct mg_cat_column *c = mg_cat_column(t, col);
	char shown[2 * NAMELEN + 2];
	const char *what = view ? "view" : "table";

	if (mg_lint_column_origin(ctx, t, c) == MG_ORIGIN_NEW)
		return; /* the table or the column is new in this script */
	if ((!t || t->stub) && created_unparsed(ctx, st->index, schema, table))
		return;
	if (t && t->temp)
		return;
	if (t && (t->kind == MG_REL_VIEW || t->kind == MG_REL_MATVIEW))
		what = t->kind == MG_REL_VIEW ? "view" : "materialized view";
	snprintf(shown, sizeof(shown), "%s%s%s", schema && schema[0] ? schema : "",
		 schema && schema[0] ? "." : "", table);
	mg_lint_report_opt(ctx, &o, off, len,
		       "column \"%s\" of %s \"%s\" is renamed to \"%s\" while the "
		       "running app version still %s \"%s\"%s", col, what, shown,
		       newname, strcmp(what, "table") ? "selects" : "reads and writes",
		       col, down_note(ctx, &o));
}

/* Token index just after ALTER <kind> [IF EXISTS] [ONLY] [schema.]name,
 * or 0. */
static size_t after_name(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 char *schema, char *name)
{
	size_t n, i = 2;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);

	if (mg_lint_tok_match(ctx, st, 1, "MATERIALIZED", NULL) ||
	    mg_lint_tok_match(ctx, st, 1, "FOREIGN", NULL))
		i = 3;
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
		i++;
	if (i >= n)
		return 0;
	schema[0] = '\0';
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], schema, NAMELEN);
		mg_lint_tok_ident(ctx, &t[i + 2], name, NAMELEN);
		return i + 3;
	}
	mg_lint_tok_ident(ctx, &t[i], name, NAMELEN);
	return i + 1;
}

/* Span of the old column name: after RENAME [COLUMN]. */
static bool col_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		     size_t from, size_t *idx)
{
	size_t n, i;

	mg_lint_tokens(ctx, st, &n);
	i = mg_lint_tok_find(ctx, st, from, "RENAME");
	if (i >= n)
		return false;
	i++;
	if (mg_lint_tok_match(ctx, st, i, "COLUMN", NULL))
		i++;
	if (i >= n)
		return false;
	*idx = i;
	return true;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "renameType");
	const char *rel = mg_node_str(st->node, "relationType");
	const cJSON *rv = mg_node_get(st->node, "relation");
	const char *col = mg_node_str(st->node, "subname");
	const char *newname = mg_node_str(st->node, "newname");
	char s[NAMELEN], nm[NAMELEN];
	size_t n, k, off = st->stmt->off, len = 0;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	bool view;

	if (!rt || strcmp(rt, "OBJECT_COLUMN") || !rel || !col || !newname ||
	    !mg_node_str(rv, "relname"))
		return;
	if (strcmp(rel, "OBJECT_TABLE") && strcmp(rel, "OBJECT_FOREIGN_TABLE") &&
	    strcmp(rel, "OBJECT_VIEW") && strcmp(rel, "OBJECT_MATVIEW"))
		return;
	view = !strcmp(rel, "OBJECT_VIEW") || !strcmp(rel, "OBJECT_MATVIEW");
	k = after_name(ctx, st, s, nm);
	if (k && col_span(ctx, st, k, &k)) {
		off = t[k].off;
		len = t[k].end - t[k].off;
	}
	report(ctx, st, mg_node_str(rv, "schemaname"), mg_node_str(rv, "relname"), col,
	       newname, view, off, len);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, k;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	char schema[NAMELEN], name[NAMELEN], col[NAMELEN], newname[NAMELEN];

	if (!mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		return;
	k = after_name(ctx, st, schema, name);
	if (!k || !mg_lint_tok_match(ctx, st, k, "RENAME", NULL))
		return;
	k++;
	if (mg_lint_tok_match(ctx, st, k, "COLUMN", NULL))
		k++;
	else if (mg_lint_tok_match(ctx, st, k, "TO", NULL) ||
		 mg_lint_tok_match(ctx, st, k, "CONSTRAINT", NULL))
		return;
	if (!mg_lint_tok_match(ctx, st, k, "*", "TO", "*", NULL))
		return;
	mg_lint_tok_ident(ctx, &t[k], col, sizeof(col));
	mg_lint_tok_ident(ctx, &t[k + 2], newname, sizeof(newname));
	report(ctx, st, schema, name, col, newname, false, t[k].off, t[k].end - t[k].off);
}

const struct mg_rule mg_rule_rename_column = {
	.id = "rename-column",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES | MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
