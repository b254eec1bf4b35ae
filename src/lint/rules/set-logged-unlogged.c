/*
 * set-logged-unlogged: ALTER TABLE ... SET LOGGED / SET UNLOGGED.
 *
 * Changing a table's persistence rewrites it (and its indexes) into a new
 * file under an ACCESS EXCLUSIVE lock; SET LOGGED also writes the whole
 * table to the WAL, which replicas must replay. An UNLOGGED table is, in
 * addition, emptied after a crash and not replicated. Quiet on tables
 * created earlier in the same script, and when the catalog knows the table
 * is already in the requested state (PostgreSQL then does nothing).
 */
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	const cJSON *cmds = mg_node_get(st->node, "cmds");
	const struct mg_cat_table *t = mg_lint_table(ctx, rv);
	char name[160];

	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rv, name, sizeof name);
	for (size_t i = 0; i < mg_lint_len(cmds); i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		bool logged;
		size_t off, end;

		if (!sub)
			continue;
		if (strcmp(sub, "AT_SetLogged") == 0)
			logged = true;
		else if (strcmp(sub, "AT_SetUnLogged") == 0)
			logged = false;
		else
			continue;
		if (t && t->kind == MG_REL_TABLE && t->unlogged == !logged)
			continue; /* already so: a no-op */
		mg_lint_cmd_span(ctx, st, i, &off, &end);
		if (logged)
			mg_lint_report(ctx, off, end - off,
				       "SET LOGGED rewrites table \"%s\" and its "
				       "indexes under an ACCESS EXCLUSIVE lock and "
				       "writes all of it to the WAL: reads and writes "
				       "wait for the whole copy",
				       name);
		else
			mg_lint_report(ctx, off, end - off,
				       "SET UNLOGGED rewrites table \"%s\" and its "
				       "indexes under an ACCESS EXCLUSIVE lock; "
				       "afterwards its data is not replicated and is "
				       "emptied after a crash",
				       name);
	}
}

static const char *const kinds[] = { "AlterTableStmt", NULL };

const struct mg_rule mg_rule_set_logged_unlogged = {
	.id = "set-logged-unlogged",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
