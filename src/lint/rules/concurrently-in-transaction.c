/*
 * concurrently-in-transaction: CREATE INDEX / DROP INDEX / REINDEX ...
 * CONCURRENTLY and DETACH PARTITION ... CONCURRENTLY inside a transaction
 * block, which PostgreSQL refuses (docs/rules/concurrently-in-transaction.md).
 *
 * The transaction is the runner's (every script without
 * -- migrate:no-transaction) or an explicit BEGIN in the script; the engine
 * works that out per statement (st->in_txn, st->explicit_txn). The finding
 * names no lock: the statement fails before taking any.
 */
#include <string.h>

#include "lint/rule.h"

static const char *const kinds[] = {
	"IndexStmt", "DropStmt", "ReindexStmt", "AlterTableStmt", NULL
};

/* The statement's concurrent form, for the message; NULL if it has none. */
static const char *concurrent_form(const struct mg_lint_stmt *st)
{
	const cJSON *n = st->node, *it;
	const char *k = st->kind;

	if (!strcmp(k, "IndexStmt"))
		return mg_node_bool(n, "concurrent") ? "CREATE INDEX CONCURRENTLY" : NULL;
	if (!strcmp(k, "DropStmt")) {
		const char *rt = mg_node_str(n, "removeType");
		return mg_node_bool(n, "concurrent") && rt && !strcmp(rt, "OBJECT_INDEX") ?
			"DROP INDEX CONCURRENTLY" : NULL;
	}
	if (!strcmp(k, "ReindexStmt")) {
		cJSON_ArrayForEach(it, mg_node_get(n, "params")) {
			const char *dn = mg_node_str(mg_node_get(it, "DefElem"), "defname");
			if (dn && !strcmp(dn, "concurrently"))
				return "REINDEX CONCURRENTLY";
		}
		return NULL;
	}
	cJSON_ArrayForEach(it, mg_node_get(n, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *pc = mg_node_get(mg_node_get(cmd, "def"), "PartitionCmd");
		if (sub && !strcmp(sub, "AT_DetachPartition") &&
		    mg_node_bool(pc, "concurrent"))
			return "DETACH PARTITION CONCURRENTLY";
	}
	return NULL;
}

static void report(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		   const char *what, size_t off, size_t len)
{
	struct mg_report_opt o = { 0 };

	o.no_lock = true;
	o.fails = true;
	if (st->explicit_txn)
		mg_lint_report_opt(ctx, &o, off, len,
				   "%s cannot run inside a transaction block, and this "
				   "statement is inside the script's BEGIN: the migration "
				   "fails", what);
	else
		mg_lint_report_opt(ctx, &o, off, len,
				   "%s cannot run inside a transaction block, and the "
				   "runner wraps this script in one (no -- migrate:"
				   "no-transaction): the migration fails", what);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *what;
	size_t off, end;

	if (!st->in_txn || !(what = concurrent_form(st)))
		return;
	if (!mg_lint_word_span(ctx, st, st->stmt->off, "CONCURRENTLY", &off, &end)) {
		off = st->stmt->off;
		end = off;
	}
	report(ctx, st, what, off, end - off);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, c;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *what;

	if (!st->in_txn || !t)
		return;
	c = mg_lint_tok_find(ctx, st, 0, "CONCURRENTLY");
	if (c >= n)
		return;
	if (mg_lint_tok_match(ctx, st, 0, "CREATE", NULL) &&
	    mg_lint_tok_find(ctx, st, 0, "INDEX") < c)
		what = "CREATE INDEX CONCURRENTLY";
	else if (mg_lint_tok_match(ctx, st, 0, "DROP", "INDEX", NULL))
		what = "DROP INDEX CONCURRENTLY";
	else if (mg_lint_tok_match(ctx, st, 0, "REINDEX", NULL))
		what = "REINDEX CONCURRENTLY";
	else if (mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL) &&
		 mg_lint_tok_find(ctx, st, 0, "DETACH") < c)
		what = "DETACH PARTITION CONCURRENTLY";
	else
		return;
	report(ctx, st, what, t[c].off, t[c].end - t[c].off);
}

const struct mg_rule mg_rule_concurrently_in_transaction = {
	.id = "concurrently-in-transaction",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
