/*
 * add-column-not-null-no-default: ALTER TABLE ... ADD COLUMN c ... NOT NULL
 * (or PRIMARY KEY, which implies it) without a non-NULL default, on a table
 * that already exists.
 *
 * PostgreSQL fills the new column with NULL in every existing row and then
 * checks the constraint: the statement fails with "column c contains null
 * values" as soon as the table has a row. SQLite refuses it the same way
 * ("Cannot add a NOT NULL column with default value NULL") when the table
 * has a row; old SQLite releases refuse it even on an empty table.
 *
 * Not reported: tables created earlier in the same script and not filled
 * since (a CREATE TABLE ... AS, SELECT INTO, INSERT, COPY or MERGE into it
 * earlier in the script gives it rows, as in a table rebuild); columns
 * that get values anyway (a non-NULL DEFAULT, serial types, identity and
 * generated columns: the rewrite those cause is add-column-volatile-default's
 * and add-column-stored-generated's business); a domain type known from the
 * catalog (it may carry its own default); foreign tables (no storage);
 * ADD COLUMN IF NOT EXISTS of a column the catalog already has (a no-op).
 * DEFAULT NULL (also NULL::type) is no default.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

/* NULL, (NULL), NULL::type, CAST(NULL AS type). */
static bool is_null_const(const cJSON *e)
{
	const char *name = NULL;
	const cJSON *n = mg_node_unwrap(e, &name);

	if (!n || !name)
		return false;
	if (!strcmp(name, "A_Const"))
		return mg_node_bool(n, "isnull");
	if (!strcmp(name, "TypeCast"))
		return is_null_const(mg_node_get(n, "arg"));
	return false;
}

static const char sqlite_help[] =
	"Give the column a constant DEFAULT (ADD COLUMN locale TEXT NOT NULL "
	"DEFAULT 'en'), or add it without NOT NULL: making an existing SQLite "
	"column NOT NULL later takes a table rebuild (see sqlite-table-rebuild).";

/* Report at the constraint that makes the column NOT NULL, the caret over
 * "NOT NULL" / "PRIMARY KEY" / "CONSTRAINT name NOT NULL". */
static void report_at(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const cJSON *node, bool sqlite, const char *msg)
{
	size_t off = mg_lint_node_off(st, node), len = 0, n, i;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	struct mg_report_opt o = { 0 };

	for (i = 0; t && i < n && t[i].off < off; i++)
		;
	if (t && i < n && t[i].off == off) {
		size_t k = i;
		if (mg_lint_tok_match(ctx, st, k, "CONSTRAINT", NULL))
			k += 2;
		if (mg_lint_tok_match(ctx, st, k, "NOT", "NULL", NULL) ||
		    mg_lint_tok_match(ctx, st, k, "PRIMARY", "KEY", NULL))
			len = t[k + 1].end - off;
	}
	if (sqlite)
		o.help = sqlite_help;
	mg_lint_report_opt(ctx, &o, off, len, "%s", msg);
}

static bool rv_is(const cJSON *rv, const char *schema, const char *name)
{
	const char *rs = mg_node_str(rv, "schemaname"), *rn = mg_node_str(rv, "relname");

	return rn && name && !strcmp(rn, name) &&
	       !strcmp(rs && rs[0] ? rs : "public", schema && schema[0] ? schema : "public");
}

/* A table created earlier in this script is empty, unless an earlier
 * statement of the script filled it: CREATE TABLE ... AS (with data),
 * SELECT ... INTO, INSERT, COPY FROM, MERGE (the table-rebuild pattern). */
static bool filled_earlier(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			   const char *schema, const char *name)
{
	for (size_t j = 0; j < st->index; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *k = s ? s->kind : NULL;
		const cJSON *n = s ? s->node : NULL;
		if (!k || !n)
			continue;
		if (!strcmp(k, "CreateTableAsStmt")) {
			const cJSON *into = mg_node_get(n, "into");
			if (rv_is(mg_node_get(into, "rel"), schema, name) &&
			    !mg_node_bool(into, "skipData"))
				return true;
		} else if (!strcmp(k, "SelectStmt")) {
			if (rv_is(mg_node_get(mg_node_get(n, "intoClause"), "rel"), schema, name))
				return true;
		} else if (!strcmp(k, "InsertStmt") || !strcmp(k, "MergeStmt") ||
			   (!strcmp(k, "CopyStmt") && mg_node_bool(n, "is_from"))) {
			if (rv_is(mg_node_get(n, "relation"), schema, name))
				return true;
		}
	}
	return false;
}

static const char *constraint(const cJSON *el, const cJSON **con)
{
	*con = mg_node_get(el, "Constraint");
	return mg_node_str(*con, "contype");
}

static void check_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const cJSON *cmd, const cJSON *cd, const char *table,
			 const struct mg_cat_table *t, bool sqlite)
{
	const char *col = mg_node_str(cd, "colname");
	const cJSON *it, *notnull = NULL, *pk = NULL, *null_default = NULL;
	bool has_values = false;
	struct mg_type ty;
	const char *what;
	char msg[512];

	if (!col)
		return;
	if (t && mg_node_bool(cmd, "missing_ok") && mg_cat_column(t, col))
		return; /* IF NOT EXISTS on a column that is there: no-op */
	if (mg_type_from_node(mg_node_get(cd, "typeName"), &ty)) {
		if (ty.serial)
			has_values = true;
		if (!sqlite) {
			const struct mg_cat_type *ct =
				mg_cat_type(mg_lint_catalog(ctx),
					    ty.schema[0] ? ty.schema : NULL, ty.name);
			if (ct && ct->kind == MG_TYPE_DOMAIN)
				return; /* the domain may have a DEFAULT */
		}
	}
	if (mg_node_bool(cd, "is_not_null"))
		notnull = cd;
	if (mg_node_get(cd, "raw_default")) {
		if (is_null_const(mg_node_get(cd, "raw_default")))
			null_default = cd;
		else
			has_values = true;
	}
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *con;
		const char *ct = constraint(it, &con);
		if (!ct)
			continue;
		if (!strcmp(ct, "CONSTR_NOTNULL"))
			notnull = con;
		else if (!strcmp(ct, "CONSTR_NULL"))
			notnull = NULL;
		else if (!strcmp(ct, "CONSTR_PRIMARY") && !sqlite)
			pk = con; /* implies NOT NULL on PostgreSQL (not on SQLite) */
		else if (!strcmp(ct, "CONSTR_DEFAULT")) {
			if (is_null_const(mg_node_get(con, "raw_expr")))
				null_default = con;
			else {
				has_values = true;
				null_default = NULL;
			}
		} else if (!strcmp(ct, "CONSTR_IDENTITY") ||
			   !strcmp(ct, "CONSTR_GENERATED"))
			has_values = true;
	}
	if (has_values || (!notnull && !pk))
		return;
	what = null_default ? "with DEFAULT NULL (no default)" : "without a default";
	if (sqlite)
		snprintf(msg, sizeof(msg),
			 "adding NOT NULL column \"%s\" %s to %s "
			 "fails (\"Cannot add a NOT NULL column with default value "
			 "NULL\") as soon as the table has a row", col, what, table);
	else if (!notnull)
		snprintf(msg, sizeof(msg),
			 "adding PRIMARY KEY column \"%s\" (implicitly NOT NULL) %s to "
			 "%s fails if the table has rows", col, what,
			 table);
	else
		snprintf(msg, sizeof(msg),
			 "adding NOT NULL column \"%s\" %s to %s "
			 "fails if the table has rows", col, what, table);
	report_at(ctx, st, notnull ? notnull : pk, sqlite, msg);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char name[140], table[200];
	bool sqlite = mg_lint_dialect(ctx) == MG_LINT_SQLITE;

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return; /* foreign tables have no rows to check */
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW &&
	    !filled_earlier(ctx, st, mg_node_str(rel, "schemaname"),
			    mg_node_str(rel, "relname")))
		return; /* created here and still empty */
	if (t && t->kind == MG_REL_FOREIGN)
		return;
	mg_lint_rv_name(rel, name, sizeof(name));
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		snprintf(table, sizeof(table),
			 "table \"%s\" (filled earlier in this migration)", name);
	else
		snprintf(table, sizeof(table), "existing table \"%s\"", name);
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		if (sub && !strcmp(sub, "AT_AddColumn"))
			check_column(ctx, st, cmd, mg_node_get(mg_node_get(cmd, "def"), "ColumnDef"),
				     table, t, sqlite);
	}
}

/* ---- statements the PostgreSQL 15 grammar cannot parse ---------------- */

static bool tok_char(const char *text, const struct mg_token *t, char c)
{
	return t->end == t->off + 1 && text[t->off] == c;
}

static void report_tokens(struct mg_lint_ctx *ctx, const struct mg_token *at,
			  const char *col, const char *table, bool null_default,
			  bool sqlite)
{
	struct mg_report_opt o = { 0 };
	size_t len = at[1].end - at->off; /* NOT NULL / PRIMARY KEY */

	if (sqlite)
		o.help = sqlite_help;
	if (sqlite)
		mg_lint_report_opt(ctx, &o, at->off, len,
			       "adding NOT NULL column \"%s\" %s to %s "
			       "fails (\"Cannot add a NOT NULL column with default value "
			       "NULL\") as soon as the table has a row", col,
			       null_default ? "with DEFAULT NULL (no default)" : "without a default", table);
	else
		mg_lint_report_opt(ctx, &o, at->off, len,
			       "adding NOT NULL column \"%s\" %s to %s "
			       "fails if the table has rows", col,
			       null_default ? "with DEFAULT NULL (no default)" :
			       "without a default", table);
}

/* One ADD [COLUMN] subcommand, tokens [i, end). */
static void check_add_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			     const struct mg_token *t, size_t i, size_t end,
			     const struct mg_cat_table *tab, const char *table, bool sqlite)
{
	static const char *const table_cons[] = { "CONSTRAINT", "PRIMARY", "UNIQUE",
		"CHECK", "FOREIGN", "EXCLUDE", NULL };
	static const char *const serials[] = { "SERIAL", "BIGSERIAL", "SMALLSERIAL",
		"SERIAL2", "SERIAL4", "SERIAL8", NULL };
	const char *text = mg_lint_text(ctx);
	const struct mg_token *notnull = NULL;
	bool if_not_exists = false, has_values = false, null_default = false;
	char col[64];
	int depth = 0;

	i++; /* ADD */
	if (i < end && mg_lint_tok_match(ctx, st, i, "COLUMN", NULL))
		i++;
	else
		for (size_t k = 0; table_cons[k]; k++)
			if (i < end && mg_lint_tok_match(ctx, st, i, table_cons[k], NULL))
				return;
	if (i + 2 < end && mg_lint_tok_match(ctx, st, i, "IF", "NOT", "EXISTS", NULL)) {
		if_not_exists = true;
		i += 3;
	}
	if (i < end && tok_char(text, &t[i], '[') && i + 2 < end)
		i++; /* SQLite [name] */
	if (i >= end)
		return;
	mg_lint_tok_ident(ctx, &t[i], col, sizeof(col));
	if (if_not_exists && mg_cat_column(tab, col))
		return;
	i++;
	if (i < end && tok_char(text, &t[i], ']'))
		i++;
	for (size_t k = 0; serials[k] && i < end; k++)
		if (mg_lint_tok_match(ctx, st, i, serials[k], NULL))
			has_values = true;
	for (; i < end; i++) {
		if (tok_char(text, &t[i], '('))
			depth++;
		else if (tok_char(text, &t[i], ')'))
			depth--;
		if (depth)
			continue;
		if (mg_lint_tok_match(ctx, st, i, "NOT", "NULL", NULL) &&
		    !(i > 0 && mg_lint_tok_match(ctx, st, i - 1, "IS", NULL))) {
			notnull = &t[i];
			i++;
		} else if (mg_lint_tok_match(ctx, st, i, "PRIMARY", "KEY", NULL) && !sqlite) {
			if (!notnull)
				notnull = &t[i];
		} else if (mg_lint_tok_match(ctx, st, i, "DEFAULT", NULL)) {
			size_t k = i + 1;
			bool paren = k < end && tok_char(text, &t[k], '(');
			if (paren)
				k++;
			if (k < end && mg_lint_tok_match(ctx, st, k, "NULL", NULL) &&
			    (k + 1 >= end || !mg_lint_tok_match(ctx, st, k + 1, "::", NULL))) {
				null_default = true;
				has_values = false;
			} else {
				has_values = true;
			}
		} else if (mg_lint_tok_match(ctx, st, i, "GENERATED", NULL) ||
			   mg_lint_tok_match(ctx, st, i, "AS", "(", NULL)) {
			has_values = true;
		}
	}
	if (notnull && !has_values)
		report_tokens(ctx, notnull, col, table, null_default, sqlite);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, start;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[64] = "", name[64], table[200];
	const struct mg_cat_table *tab;
	bool sqlite = mg_lint_dialect(ctx) == MG_LINT_SQLITE;
	int depth = 0;

	if (!t || !mg_lint_alter_table_name(ctx, st, &i, schema, sizeof(schema), name,
					     sizeof(name)))
		return;
	tab = mg_lint_table_named(ctx, schema, name);
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW &&
	    !filled_earlier(ctx, st, schema, name))
		return; /* created here and still empty */
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW)
		snprintf(table, sizeof(table),
			 "table \"%s%s%s\" (filled earlier in this migration)", schema,
			 schema[0] ? "." : "", name);
	else
		snprintf(table, sizeof(table), "existing table \"%s%s%s\"", schema,
			 schema[0] ? "." : "", name);
	/* subcommands: split at depth-0 commas */
	for (start = ++i; i <= n; i++) {
		bool stop = i == n || tok_char(text, &t[i], ';');
		if (!stop) {
			if (tok_char(text, &t[i], '('))
				depth++;
			else if (tok_char(text, &t[i], ')'))
				depth--;
			if (depth || !tok_char(text, &t[i], ','))
				continue;
		}
		if (start < i && mg_lint_tok_match(ctx, st, start, "ADD", NULL))
			check_add_tokens(ctx, st, t, start, i, tab, table, sqlite);
		start = i + 1;
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_add_column_not_null_no_default = {
	.id = "add-column-not-null-no-default",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_ALL_DIALECTS,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
