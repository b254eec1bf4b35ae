/*
 * prefer-text-over-varchar: varchar(n) columns (advice).
 *
 * In PostgreSQL varchar(n) stores exactly like text; the limit is the only
 * difference, and changing it later takes ALTER COLUMN TYPE: an ACCESS
 * EXCLUSIVE lock (and a full rewrite when the limit shrinks). text with a
 * CHECK (char_length(col) <= n) constraint enforces the same limit and can
 * be replaced with NOT VALID + VALIDATE without blocking. Unconstrained
 * varchar is text by another name: quiet. One finding per statement (CREATE
 * TABLE, ADD COLUMN or ALTER COLUMN TYPE), naming every such column.
 */
#include <stdio.h>
#include <string.h>

#include "lint/coldefs.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"


/* The flagged columns of the current statement: one finding per
 * statement (a CREATE TABLE with ten varchar(n) columns is one design
 * decision, not ten). */
struct acc {
	unsigned n;          /* columns found */
	size_t off;          /* the first one's type */
	char first[64];      /* the first one's name, type and limit */
	char ftype[96];
	int fmod;
	char table[160];
	char names[240];     /* "\"a\" varchar(64), ..." (what fits) */
	unsigned listed;     /* names in `names` */
};

static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct mg_coldef *c)
{
	const char *name = mg_coldef_builtin_type(c->type);
	struct acc *a = mg_lint_state(ctx, sizeof *a);
	struct mg_type t;
	char tbuf[96];

	if (!name || strcmp(name, "varchar") != 0 ||
	    mg_lint_len(mg_node_get(c->type, "typmods")) == 0)
		return;
	if (!mg_type_from_node(c->type, &t) || t.nmods == 0)
		return;
	mg_type_format(&t, tbuf, sizeof tbuf);
	if (a->n++ == 0) {
		a->off = mg_lint_node_off(st, c->type);
		snprintf(a->first, sizeof a->first, "%s", c->name);
		snprintf(a->ftype, sizeof a->ftype, "%s", tbuf);
		snprintf(a->table, sizeof a->table, "%s", c->table);
		a->fmod = t.mods[0];
	}
	size_t len = strlen(a->names);
	int w = snprintf(a->names + len, sizeof a->names - len, "%s\"%s\" %s",
			 len ? ", " : "", c->name, tbuf);
	if (w < 0 || (size_t)w >= sizeof a->names - len)
		a->names[len] = '\0'; /* does not fit: counted as "more" */
	else
		a->listed++;
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
				   "column \"%s\" of \"%s\" is %s: changing the limit "
				   "later needs ALTER COLUMN TYPE (an ACCESS EXCLUSIVE "
				   "lock, and a rewrite to lower it); prefer text with "
				   "CHECK (char_length(%s) <= %d)",
				   a->first, a->table, a->ftype, a->first, a->fmod);
	else if (a->n > 1)
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   a->off, 0,
				   "%u columns of \"%s\" are varchar(n) (%s%s): "
				   "changing a limit later needs ALTER COLUMN TYPE (an "
				   "ACCESS EXCLUSIVE lock, and a rewrite to lower it); "
				   "prefer text with CHECK (char_length(col) <= n)",
				   a->n, a->table, a->names,
				   a->listed < a->n ? ", ..." : "");
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_text_over_varchar = {
	.id = "prefer-text-over-varchar",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
