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

#include "lint/coldefs.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"


static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct mg_coldef *c)
{
	const char *name = mg_coldef_builtin_type(c->type);
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
	mg_each_coldef(ctx, st, on_column);
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_text_over_char = {
	.id = "prefer-text-over-char",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
