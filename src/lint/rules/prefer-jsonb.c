/*
 * prefer-jsonb: json columns (advice).
 *
 * json keeps the input text and re-parses it on every access; it has no
 * equality operator (DISTINCT, GROUP BY, UNION and = on the column fail)
 * and no GIN index support. jsonb stores the parsed form and has both. (json
 * is only needed to keep key order, duplicate keys or exact whitespace.)
 * One finding per column defined by CREATE TABLE, ADD COLUMN or ALTER
 * COLUMN TYPE.
 */
#include <stdio.h>
#include <string.h>

#include "lint/coldefs.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"


static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct mg_coldef *c)
{
	const char *name = mg_coldef_builtin_type(c->type);

	if (!name || strcmp(name, "json") != 0)
		return;
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
			   mg_lint_node_off(st, c->type), 0,
			   "column \"%s\" of \"%s\" is json: it is stored as "
			   "text and re-parsed on every use, has no equality "
			   "operator (DISTINCT, GROUP BY and UNION fail on it) and "
			   "no GIN indexing; prefer jsonb",
			   c->name, c->table);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (mg_lint_is_down(ctx))
		return; /* a downgrade restores an earlier definition */
	mg_each_coldef(ctx, st, on_column);
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_jsonb = {
	.id = "prefer-jsonb",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
