/*
 * rename-schema: ALTER SCHEMA ... RENAME TO (docs/rules/rename-schema.md).
 *
 * Quiet for a schema created earlier in the same script (by a plain
 * CREATE SCHEMA, not IF NOT EXISTS, which may have found it existing).
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

static const char *const kinds[] = { "RenameStmt", NULL };

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

/* A downgrade normally undoes what its upgrade did (the app version being
 * rolled back to expects that), so there it is an info. */
static const char *down_note(const struct mg_lint_ctx *ctx, struct mg_report_opt *o)
{
	if (!mg_lint_is_down(ctx))
		return "";
	o->severity = MG_SEV_INFO;
	return " (in a downgrade: expected when it undoes the matching upgrade)";
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct mg_report_opt o = { 0 };
	const char *rt = mg_node_str(st->node, "renameType");
	const char *name = mg_node_str(st->node, "subname");
	const char *newname = mg_node_str(st->node, "newname");
	size_t n, off = st->stmt->off, len = 0;
	const struct mg_token *t;

	if (!rt || strcmp(rt, "OBJECT_SCHEMA") || !name || !newname)
		return;
	if (created_in_script(ctx, st->index, name))
		return;
	t = mg_lint_tokens(ctx, st, &n);
	if (n > 2) { /* ALTER SCHEMA name */
		off = t[2].off;
		len = t[2].end - t[2].off;
	}
	mg_lint_report_opt(ctx, &o, off, len,
		       "schema \"%s\" is renamed to \"%s\": qualified names "
		       "(\"%s\".table) and search_path settings of the running app "
		       "version that name it stop resolving%s", name, newname, name, down_note(ctx, &o));
}

const struct mg_rule mg_rule_rename_schema = {
	.id = "rename-schema",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
