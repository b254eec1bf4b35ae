/*
 * sqlite-unsupported-alter: ALTER TABLE forms SQLite rejects.
 *
 * SQLite's ALTER TABLE knows only RENAME TO, RENAME COLUMN, ADD COLUMN and
 * DROP COLUMN, one per statement (https://sqlite.org/lang_altertable.html).
 * Everything else is a syntax error at run time: ALTER COLUMN (TYPE,
 * SET/DROP NOT NULL, SET/DROP DEFAULT), ADD/DROP CONSTRAINT, several
 * comma-separated actions. ADD COLUMN itself is refused when the column
 * has PRIMARY KEY or UNIQUE, a default that is not a constant
 * (CURRENT_TIMESTAMP, CURRENT_DATE, CURRENT_TIME, a function call or other
 * expression), NOT NULL without a non-NULL default, GENERATED ... STORED,
 * or (while foreign keys are on) REFERENCES with a non-NULL default.
 * DROP COLUMN is refused when the column is part of the primary key, a
 * UNIQUE constraint or an index (as far as the catalog knows). Each
 * finding names the form and points to the table rebuild.
 *
 * Statements the PostgreSQL grammar cannot parse are checked from their
 * tokens: ALTER TABLE t ALTER ..., ADD CONSTRAINT / DROP CONSTRAINT, and
 * ADD [COLUMN] with PRIMARY KEY / UNIQUE / DEFAULT CURRENT_* / DEFAULT (.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

#define REBUILD "rebuild the table instead (CREATE TABLE new, copy, DROP, RENAME)"

static const char *sub_form(const char *sub, const cJSON *cmd)
{
	static const struct {
		const char *sub, *form;
	} forms[] = {
		{ "AT_AlterColumnType", "ALTER COLUMN ... TYPE" },
		{ "AT_SetNotNull", "ALTER COLUMN ... SET NOT NULL" },
		{ "AT_DropNotNull", "ALTER COLUMN ... DROP NOT NULL" },
		{ "AT_AddConstraint", "ADD CONSTRAINT" },
		{ "AT_DropConstraint", "DROP CONSTRAINT" },
		{ "AT_ValidateConstraint", "VALIDATE CONSTRAINT" },
		{ "AT_AddIdentity", "ALTER COLUMN ... ADD GENERATED AS IDENTITY" },
		{ "AT_DropIdentity", "ALTER COLUMN ... DROP IDENTITY" },
		{ "AT_SetIdentity", "ALTER COLUMN ... SET GENERATED" },
		{ "AT_DropExpression", "ALTER COLUMN ... DROP EXPRESSION" },
	};
	if (strcmp(sub, "AT_ColumnDefault") == 0)
		return mg_node_get(cmd, "def") ? "ALTER COLUMN ... SET DEFAULT"
					       : "ALTER COLUMN ... DROP DEFAULT";
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
		if (strcmp(sub, forms[i].sub) == 0)
			return forms[i].form;
	return NULL;
}

/* A default SQLite's ADD COLUMN accepts: a literal, NULL, TRUE/FALSE, a
 * signed number, or a cast of one. */
static bool const_default(const cJSON *expr)
{
	const char *name = NULL;
	const cJSON *n = mg_node_unwrap(expr, &name);

	if (!name)
		return false;
	if (strcmp(name, "A_Const") == 0)
		return true;
	if (strcmp(name, "TypeCast") == 0)
		return const_default(mg_node_get(n, "arg"));
	if (strcmp(name, "A_Expr") == 0 && !mg_node_get(n, "lexpr")) {
		const char *op = mg_lint_list_last(mg_node_get(n, "name"));
		return op && (strcmp(op, "-") == 0 || strcmp(op, "+") == 0) &&
		       const_default(mg_node_get(n, "rexpr"));
	}
	return false;
}

static bool null_const(const cJSON *expr)
{
	const char *name = NULL;
	const cJSON *n = mg_node_unwrap(expr, &name);
	return name && strcmp(name, "A_Const") == 0 && mg_node_bool(n, "isnull");
}

static void check_add(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const cJSON *cd)
{
	const char *col = mg_node_str(cd, "colname");
	const cJSON *cons = mg_node_get(cd, "constraints");
	const cJSON *dflt = NULL, *fk = NULL, *stored = NULL;
	/* SQLite checks these three only when the table has rows */
	bool empty = mg_lint_rv_is_new(ctx, mg_node_get(st->node, "relation"));

	for (size_t k = 0; k < mg_lint_len(cons); k++) {
		const cJSON *c = mg_node_unwrap(mg_lint_at(cons, k), NULL);
		const char *t = mg_node_str(c, "contype");
		if (!t)
			continue;
		if (strcmp(t, "CONSTR_PRIMARY") == 0 || strcmp(t, "CONSTR_UNIQUE") == 0) {
			mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
					   mg_lint_node_off(st, c), 0,
					   "SQLite cannot ADD COLUMN \"%s\" with %s "
					   "(\"Cannot add a %s column\"); add a plain "
					   "column and CREATE UNIQUE INDEX, or " REBUILD,
					   col ? col : "?",
					   t[7] == 'P' ? "PRIMARY KEY" : "UNIQUE",
					   t[7] == 'P' ? "PRIMARY KEY" : "UNIQUE");
			return;
		}
		if (strcmp(t, "CONSTR_GENERATED") == 0)
			stored = c;
		else if (strcmp(t, "CONSTR_DEFAULT") == 0)
			dflt = c;
		else if (strcmp(t, "CONSTR_FOREIGN") == 0)
			fk = c;
	}
	const cJSON *expr = mg_node_get(dflt, "raw_expr");
	if (empty)
		return;
	if (stored) {
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   mg_lint_node_off(st, stored), 0,
				   "SQLite cannot ADD COLUMN \"%s\" as GENERATED ... "
				   "STORED to a table that has rows (\"cannot add a "
				   "STORED column\"); make it VIRTUAL, or " REBUILD,
				   col ? col : "?");
		return;
	}
	if (dflt && !const_default(expr)) {
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   mg_lint_node_off(st, expr), 0,
				   "SQLite cannot ADD COLUMN \"%s\" with a non-constant "
				   "default to a table that has rows (\"Cannot add a "
				   "column with non-constant default\"); add it with a constant default and "
				   "backfill with UPDATE, or " REBUILD,
				   col ? col : "?");
		return;
	}
	if (fk && dflt && !null_const(expr))
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   mg_lint_node_off(st, fk), 0,
				   "SQLite cannot ADD COLUMN \"%s\" with REFERENCES and "
				   "a non-NULL default to a table that has rows while "
				   "foreign keys are on "
				   "(\"Cannot add a REFERENCES column with non-NULL "
				   "default value\"); add it with DEFAULT NULL and "
				   "backfill, or " REBUILD,
				   col ? col : "?");
}

/* DROP COLUMN of a column SQLite refuses to drop. */
static void check_drop(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t i, const char *col)
{
	const struct mg_cat_table *t = mg_lint_table(ctx, mg_node_get(st->node, "relation"));
	const struct mg_catalog *cat = mg_lint_catalog(ctx);
	const char *why = NULL, *index = NULL;
	size_t off, end;

	if (!t || !col)
		return;
	for (size_t c = 0; c < t->ncons && !why; c++) {
		const struct mg_cat_constraint *k = &t->cons[c];
		if (k->type != MG_CON_PRIMARY && k->type != MG_CON_UNIQUE)
			continue;
		for (size_t j = 0; j < k->ncolumns; j++)
			if (k->columns[j] && strcmp(k->columns[j], col) == 0)
				why = k->type == MG_CON_PRIMARY ? "part of the PRIMARY KEY"
								: "part of a UNIQUE constraint";
	}
	size_t pos = 0;
	const struct mg_cat_index *ix;
	while (!why && !index && (ix = mg_cat_table_index_next(cat, t, &pos))) {
		for (size_t j = 0; j < ix->ncolumns; j++)
			if (ix->columns[j] && strcmp(ix->columns[j], col) == 0) {
				index = ix->name;
				break;
			}
	}
	if (!why && !index)
		return;
	mg_lint_cmd_span(ctx, st, i, &off, &end);
	if (index)
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, end - off,
				   "SQLite cannot DROP COLUMN \"%s\" while index \"%s\" "
				   "uses it (\"error in table ... after drop column\"); "
				   "DROP INDEX \"%s\" first",
				   col, index, index);
	else
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, end - off,
				   "SQLite cannot DROP COLUMN \"%s\": it is %s; " REBUILD,
				   col, why);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *cmds = mg_node_get(st->node, "cmds");
	size_t n = mg_lint_len(cmds);
	const char *objtype = mg_node_str(st->node, "objtype");
	char tname[160];

	if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0)
		return; /* ALTER INDEX / VIEW ...: other rules */
	mg_lint_rv_name(mg_node_get(st->node, "relation"), tname, sizeof tname);
	if (n > 1) {
		size_t off, end;
		mg_lint_cmd_span(ctx, st, 1, &off, &end);
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, end - off,
				   "SQLite's ALTER TABLE takes one action per "
				   "statement: split these %zu actions on \"%s\" into "
				   "separate ALTER TABLE statements",
				   n, tname);
	}
	for (size_t i = 0; i < n; i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const char *form;
		size_t off, end;

		if (!sub)
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0) {
			check_add(ctx, st,
				  mg_node_unwrap(mg_node_get(cmd, "def"), NULL));
			continue;
		}
		if (strcmp(sub, "AT_DropColumn") == 0) {
			check_drop(ctx, st, i, mg_node_str(cmd, "name"));
			continue;
		}
		form = sub_form(sub, cmd);
		mg_lint_cmd_span(ctx, st, i, &off, &end);
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, end - off,
				   "SQLite does not support ALTER TABLE ... %s (only "
				   "RENAME, ADD COLUMN and DROP COLUMN): %s",
				   form ? form : "this action", REBUILD);
	}
}

/* Unparsed ALTER TABLE statements. */
static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n = 0, i;
	const struct mg_token *tok;
	const char *text = mg_lint_text(ctx);
	const char *form = NULL;
	size_t at = 0;

	if (!mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		return;
	tok = mg_lint_tokens(ctx, st, &n);
	i = 3; /* after the name */
	if (mg_lint_tok_match(ctx, st, 3, ".", NULL))
		i = 5;
	if (i >= n)
		return;
	at = i;
	if (mg_token_is(text, &tok[i], "ALTER"))
		form = "ALTER COLUMN";
	else if (mg_lint_tok_match(ctx, st, i, "ADD", "CONSTRAINT", NULL))
		form = "ADD CONSTRAINT";
	else if (mg_lint_tok_match(ctx, st, i, "DROP", "CONSTRAINT", NULL))
		form = "DROP CONSTRAINT";
	else if (mg_token_is(text, &tok[i], "ADD")) {
		for (size_t k = i + 1; k < n && !form; k++) {
			if (mg_token_is(text, &tok[k], "PRIMARY") ||
			    mg_token_is(text, &tok[k], "UNIQUE")) {
				form = mg_token_is(text, &tok[k], "UNIQUE")
					? "ADD COLUMN ... UNIQUE"
					: "ADD COLUMN ... PRIMARY KEY";
				at = k;
			} else if (mg_token_is(text, &tok[k], "DEFAULT") && k + 1 < n &&
				   (mg_token_is(text, &tok[k + 1], "CURRENT_TIMESTAMP") ||
				    mg_token_is(text, &tok[k + 1], "CURRENT_DATE") ||
				    mg_token_is(text, &tok[k + 1], "CURRENT_TIME") ||
				    mg_token_is(text, &tok[k + 1], "("))) {
				form = "ADD COLUMN with a non-constant default";
				at = k + 1;
			}
		}
	}
	if (!form)
		return;
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
			   tok[at].off, tok[at].end - tok[at].off,
			   "SQLite does not support ALTER TABLE ... %s: %s", form,
			   REBUILD);
}

static const char *const kinds[] = { "AlterTableStmt", NULL };

const struct mg_rule mg_rule_sqlite_unsupported_alter = {
	.id = "sqlite-unsupported-alter",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
