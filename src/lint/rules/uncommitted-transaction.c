/*
 * uncommitted-transaction: a BEGIN / START TRANSACTION that is still open
 * when the script ends.
 *
 * Only where it matters: in a script the runner does NOT wrap in a
 * transaction (-- migrate:no-transaction), a BEGIN without COMMIT or
 * ROLLBACK leaves the transaction open after the last statement, so the
 * migration's changes are rolled back when the connection closes, or get
 * committed (or not) with whatever the runner sends next. In a script the
 * runner wraps, an open transaction at the end is the runner's own, which
 * it commits: quiet there (a BEGIN in such a script is nested-transaction's
 * finding). COMMIT AND CHAIN and ROLLBACK AND CHAIN end one transaction and
 * start the next (reported there); ROLLBACK TO SAVEPOINT does not end it. Unparsed statements (SQLite's
 * BEGIN IMMEDIATE, ...) are classified from their first tokens.
 */
#include <string.h>

#include "lint/rule.h"

enum tx { TX_NONE, TX_BEGIN, TX_END, TX_CHAIN };

static enum tx tx_kind(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (st->kind) {
		const char *k;
		if (strcmp(st->kind, "TransactionStmt") != 0)
			return TX_NONE;
		k = mg_node_str(st->node, "kind");
		if (!k)
			return TX_NONE;
		if (!strcmp(k, "TRANS_STMT_BEGIN") || !strcmp(k, "TRANS_STMT_START"))
			return TX_BEGIN;
		if (!strcmp(k, "TRANS_STMT_COMMIT") || !strcmp(k, "TRANS_STMT_ROLLBACK"))
			return mg_node_bool(st->node, "chain") ? TX_CHAIN : TX_END;
		if (!strcmp(k, "TRANS_STMT_PREPARE"))
			return TX_END;
		return TX_NONE;
	}
	if (mg_lint_tok_match(ctx, st, 0, "BEGIN", NULL) ||
	    mg_lint_tok_match(ctx, st, 0, "START", "TRANSACTION", NULL))
		return TX_BEGIN;
	if (mg_lint_tok_match(ctx, st, 0, "COMMIT", NULL) ||
	    mg_lint_tok_match(ctx, st, 0, "END", NULL) ||
	    (mg_lint_tok_match(ctx, st, 0, "ROLLBACK", NULL) &&
	     !mg_lint_tok_match(ctx, st, 1, "TO", NULL)))
		return TX_END;
	return TX_NONE;
}

static void script_end(struct mg_lint_ctx *ctx)
{
	size_t n = mg_lint_nstmts(ctx);
	const struct mg_lint_stmt *open = NULL;

	if (!mg_lint_script_no_tx(ctx))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct mg_lint_stmt *st = mg_lint_stmt_at(ctx, i);
		enum tx k = st ? tx_kind(ctx, st) : TX_NONE;
		if (k == TX_BEGIN && !open)
			open = st;
		else if (k == TX_END)
			open = NULL;
		else if (k == TX_CHAIN && open)
			open = st; /* committed, and a new one starts here */
	}
	if (!open)
		return;
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
			   open->stmt->off, 0,
			   "the transaction started here is never committed: the "
			   "script ends with it still open, so its changes are rolled back "
			   "when the connection closes (or committed by whatever "
			   "runs next); end it with COMMIT");
}

const struct mg_rule mg_rule_uncommitted_transaction = {
	.id = "uncommitted-transaction",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_ALL_DIALECTS,
	.kinds = NULL,
	.check = NULL,
	.script_end = script_end,
};
