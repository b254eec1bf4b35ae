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

#include "lint/coldefs.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"


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
		      const struct mg_coldef *c)
{
	const char *name = mg_coldef_builtin_type(c->type);
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
	mg_each_coldef(ctx, st, on_column);
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
