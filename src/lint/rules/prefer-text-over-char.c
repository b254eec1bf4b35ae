/*
 * prefer-text-over-char: char(n) / character(n) columns (advice).
 *
 * char(n) (internally bpchar) pads every value with spaces to n
 * characters, ignores trailing spaces when comparing, and strips them when
 * casting to text, which surprises every client; it is not faster or
 * smaller than text. Prefer text (with a CHECK on the length if it
 * matters). `character` and `char` without a length mean char(1). The
 * quoted "char" is a different, internal one-byte type: quiet. One finding
 * per column defined by CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE.
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"
#include "lint/typecoerce.h"

/* ---- the columns a statement defines (same walk in each prefer-* rule) ----
 * CREATE TABLE columns (not temporary tables, not PARTITION OF / LIKE
 * copies, which have no type of their own), ALTER TABLE ... ADD COLUMN and
 * ALTER TABLE ... ALTER COLUMN ... TYPE. Never called for statements that
 * only read the schema, nor in downgrade scripts (they restore an earlier
 * definition; the advice belongs to the design, in the upgrade). */
struct coldef {
	const char *table;        /* "schema.name" or "name", for messages */
	const char *name;         /* column name */
	const cJSON *type;        /* the TypeName node */
	const cJSON *constraints; /* ColumnDef constraints (may be NULL) */
	bool alter_type;          /* from ALTER COLUMN TYPE */
	const cJSON *rangevar;    /* the table */
};

typedef void (*col_fn)(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       const struct coldef *c);

static void each_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			col_fn fn)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	char table[160];
	const char *pers = mg_node_str(rv, "relpersistence");

	if (!rv || (pers && strcmp(pers, "t") == 0))
		return;
	mg_lint_rv_name(rv, table, sizeof table);
	if (strcmp(st->kind, "CreateStmt") == 0) {
		const cJSON *elts = mg_node_get(st->node, "tableElts");
		for (size_t i = 0; i < mg_lint_len(elts); i++) {
			const char *nm = NULL;
			const cJSON *cd = mg_node_unwrap(mg_lint_at(elts, i), &nm);
			if (!nm || strcmp(nm, "ColumnDef") != 0 ||
			    !mg_node_get(cd, "typeName"))
				continue;
			struct coldef c = {
				.table = table,
				.name = mg_node_str(cd, "colname"),
				.type = mg_node_get(cd, "typeName"),
				.constraints = mg_node_get(cd, "constraints"),
				.rangevar = rv,
			};
			if (c.name)
				fn(ctx, st, &c);
		}
		return;
	}
	const char *objtype = mg_node_str(st->node, "objtype");
	if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0)
		return;
	const cJSON *cmds = mg_node_get(st->node, "cmds");
	for (size_t i = 0; i < mg_lint_len(cmds); i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *cd = mg_node_unwrap(mg_node_get(cmd, "def"), NULL);
		struct coldef c = { .table = table, .rangevar = rv };

		if (!sub || !cd || !mg_node_get(cd, "typeName"))
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0) {
			c.name = mg_node_str(cd, "colname");
		} else if (strcmp(sub, "AT_AlterColumnType") == 0) {
			c.name = mg_node_str(cmd, "name");
			c.alter_type = true;
		} else {
			continue;
		}
		c.type = mg_node_get(cd, "typeName");
		c.constraints = mg_node_get(cd, "constraints");
		if (c.name)
			fn(ctx, st, &c);
	}
}

/* The type's last name if it is a built-in one (unqualified or
 * pg_catalog), else NULL. "char" quoted comes out as "char", unquoted
 * char/character as "bpchar". */
static const char *builtin_name(const cJSON *type)
{
	const cJSON *names = mg_node_get(type, "names");
	size_t n = mg_lint_len(names);
	if (n == 0 || n > 2)
		return NULL;
	if (n == 2) {
		const char *sch = mg_lint_strval(mg_lint_at(names, 0));
		if (!sch || strcmp(sch, "pg_catalog") != 0)
			return NULL;
	}
	return mg_lint_strval(mg_lint_at(names, n - 1));
}
/* ---- end of the column walk ---- */

static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct coldef *c)
{
	const char *name = builtin_name(c->type);
	const cJSON *mods = mg_node_get(c->type, "typmods");
	const cJSON *m0 = mg_node_unwrap(mg_lint_at(mods, 0), NULL);
	const cJSON *iv = mg_node_get(m0, "ival");
	int n = mg_node_int(iv, "ival", 0);
	char tbuf[48];

	if (!name || strcmp(name, "bpchar") != 0)
		return;
	bool array = mg_lint_len(mg_node_get(c->type, "arrayBounds")) > 0;
	if (n > 0)
		snprintf(tbuf, sizeof tbuf, "char(%d)%s", n, array ? "[]" : "");
	else
		snprintf(tbuf, sizeof tbuf, "bpchar%s", array ? "[]" : "");
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
			   mg_lint_node_off(st, c->type), 0,
			   "column \"%s\" of \"%s\" is %s: values are "
			   "blank-padded%s and trailing spaces are ignored when "
			   "comparing; prefer text%s",
			   c->name, c->table, tbuf,
			   n > 0 ? " to the full length" : "",
			   n > 0 ? " (with a CHECK on the length if it matters)"
				  : "");
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (mg_lint_is_down(ctx))
		return; /* a downgrade restores an earlier definition */
	each_column(ctx, st, on_column);
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_text_over_char = {
	.id = "prefer-text-over-char",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
