/*
 * drop-schema: DROP SCHEMA (docs/rules/drop-schema.md).
 *
 * With CASCADE it drops everything in the schema: reported at the rule's
 * severity. Without CASCADE (RESTRICT, the default) the statement fails
 * unless the schema is already empty, so it is either harmless or fails:
 * reported as a warning, because the linter cannot see whether the schema
 * is empty. Quiet for a schema created earlier in the same script.
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

static bool created_in_script(struct mg_lint_ctx *ctx, size_t upto, const char *name)
{
	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *sn;
		if (!s || !s->kind || strcmp(s->kind, "CreateSchemaStmt"))
			continue;
		sn = mg_node_str(s->node, "schemaname");
		if (sn && !strcmp(sn, name) && !mg_node_bool(s->node, "if_not_exists"))
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const char *beh = mg_node_str(st->node, "behavior");
	bool cascade = beh && !strcmp(beh, "DROP_CASCADE");
	size_t i = 2, n; /* DROP SCHEMA */
	const struct mg_token *t;
	const cJSON *it;

	if (!rt || strcmp(rt, "OBJECT_SCHEMA"))
		return;
	t = mg_lint_tokens(ctx, st, &n);
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const char *name = mg_lint_strval(it);
		struct mg_report_opt o = { 0 };
		size_t off = i < n ? t[i].off : st->stmt->off;
		size_t len = i < n ? t[i].end - t[i].off : 0;

		i += 2; /* name , */
		if (!name || created_in_script(ctx, st->index, name))
			continue;
		o.no_lock = true;
		if (cascade) {
			mg_lint_report_opt(ctx, &o, off, len,
					   "schema \"%s\" is dropped with CASCADE: every "
					   "table, view, sequence, function and type in it is "
					   "dropped too, data included, and so is anything "
					   "elsewhere that depends on them", name);
		} else {
			o.severity = MG_SEV_WARNING;
			mg_lint_report_opt(ctx, &o, off, len,
					   "schema \"%s\" is dropped: this fails unless it is "
					   "already empty, which the linter cannot check; make "
					   "sure nothing and no app version uses it", name);
		}
	}
}

const struct mg_rule mg_rule_drop_schema = {
	.id = "drop-schema",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
