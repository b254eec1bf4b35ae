/*
 * prefer-timestamptz: timestamp (without time zone) columns (advice).
 *
 * timestamp stores a wall-clock reading with no zone: the same instant is
 * stored differently by writers with different TimeZone settings, and
 * comparisons across a DST change or between servers go wrong. timestamptz
 * stores the instant (as UTC) and converts on output; it costs the same 8
 * bytes. One finding per statement (CREATE TABLE, ADD COLUMN or ALTER
 * COLUMN TYPE), naming every such column it defines.
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

/* The flagged columns of the current statement: one finding per
 * statement (a CREATE TABLE with ten timestamp columns is one design
 * decision, not ten). */
struct acc {
	unsigned n;          /* columns found */
	size_t off;          /* the first one's type */
	char first[64];      /* the first one's name */
	char table[160];
	char names[240];     /* "\"a\", \"b\"" (what fits) */
	unsigned listed;     /* names in `names` */
};

static void add_name(struct acc *a, const char *name)
{
	size_t len = strlen(a->names);
	int w = snprintf(a->names + len, sizeof a->names - len, "%s\"%s\"",
			 len ? ", " : "", name);
	if (w < 0 || (size_t)w >= sizeof a->names - len)
		a->names[len] = '\0'; /* does not fit: counted as "more" */
	else
		a->listed++;
}

static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct coldef *c)
{
	const char *name = builtin_name(c->type);
	struct acc *a = mg_lint_state(ctx, sizeof *a);

	if (!name || strcmp(name, "timestamp") != 0)
		return;
	if (a->n++ == 0) {
		a->off = mg_lint_node_off(st, c->type);
		snprintf(a->first, sizeof a->first, "%s", c->name);
		snprintf(a->table, sizeof a->table, "%s", c->table);
	}
	add_name(a, c->name);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct acc *a;

	if (mg_lint_is_down(ctx))
		return; /* a downgrade restores an earlier definition */
	a = mg_lint_state(ctx, sizeof *a);
	memset(a, 0, sizeof *a);
	each_column(ctx, st, on_column);
	if (a->n == 1)
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   a->off, 0,
				   "column \"%s\" of \"%s\" is timestamp without time "
				   "zone: it stores a wall-clock time with no zone, so "
				   "what it means depends on each writer's TimeZone "
				   "setting; prefer timestamptz",
				   a->first, a->table);
	else if (a->n > 1)
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   a->off, 0,
				   "%u columns of \"%s\" are timestamp without time "
				   "zone (%s%s): they store wall-clock times with no "
				   "zone, so what they mean depends on each writer's "
				   "TimeZone setting; prefer timestamptz",
				   a->n, a->table, a->names,
				   a->listed < a->n ? ", ..." : "");
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_timestamptz = {
	.id = "prefer-timestamptz",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
