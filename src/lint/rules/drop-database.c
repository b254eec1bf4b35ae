/*
 * drop-database: DROP DATABASE (docs/rules/drop-database.md).
 *
 * Always reported: a migration set describes one database, and dropping a
 * whole one is irreversible. Inside the migration's transaction the
 * message also says that PostgreSQL refuses the statement there.
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

static const char *const kinds[] = { "DropdbStmt", NULL };

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *name = mg_node_str(st->node, "dbname");
	size_t i = 2, n; /* DROP DATABASE */
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	struct mg_report_opt o = { 0 };
	size_t off, len;

	if (!name)
		return;
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	off = i < n ? t[i].off : st->stmt->off;
	len = i < n ? t[i].end - t[i].off : 0;
	o.no_lock = true;
	mg_lint_report_opt(ctx, &o, off, len,
			   "database \"%s\" is dropped: every object and row in it is "
			   "deleted, for every client, and no rollback brings it "
			   "back%s", name,
			   st->in_txn ? "; it also fails here, because DROP DATABASE "
			   "cannot run inside the migration's transaction" : "");
}

const struct mg_rule mg_rule_drop_database = {
	.id = "drop-database",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
