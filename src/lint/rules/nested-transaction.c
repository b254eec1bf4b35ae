/*
 * nested-transaction: BEGIN while a transaction is already open.
 *
 * Two ways to get there: a BEGIN inside the script's own BEGIN ... COMMIT
 * block, or (much more common) any BEGIN in a migration the runner already
 * runs in its per-migration transaction. PostgreSQL ignores the inner BEGIN
 * with a WARNING ("there is already a transaction in progress"), and the
 * script's COMMIT then ends the OUTER transaction early: the statements
 * after it run one by one, outside any transaction, and a failure there
 * leaves the migration half applied. SQLite refuses the BEGIN outright
 * ("cannot start a transaction within a transaction"), so on SQLite the
 * finding is an error whatever the rule's default severity (a severity the
 * user sets still wins). The fix: drop the script's BEGIN/COMMIT, or mark
 * the file -- migrate:no-transaction if it must manage its own
 * transactions; SAVEPOINT is the nestable form.
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

enum tx { TX_NONE, TX_BEGIN, TX_END };

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
		if ((!strcmp(k, "TRANS_STMT_COMMIT") || !strcmp(k, "TRANS_STMT_ROLLBACK")) &&
		    !mg_node_bool(st->node, "chain"))
			return TX_END;
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

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static void on_stmt(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	bool sqlite = mg_lint_dialect(ctx) == MG_LINT_SQLITE;
	const struct mg_lint_stmt *outer = NULL; /* the BEGIN that opened it */
	bool open = !mg_lint_script_no_tx(ctx);   /* the runner's transaction */
	const struct mg_lint_stmt *commit = NULL;

	if (tx_kind(ctx, st) != TX_BEGIN)
		return;
	/* Replay the transaction state up to st (cheap: scripts are short). */
	for (size_t i = 0; i < st->index; i++) {
		const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, i);
		enum tx k = p ? tx_kind(ctx, p) : TX_NONE;
		if (k == TX_BEGIN && !open) {
			open = true;
			outer = p;
		} else if (k == TX_END) {
			open = false;
			outer = NULL;
		}
	}
	if (!open)
		return;
	for (size_t i = st->index + 1; i < mg_lint_nstmts(ctx) && !commit; i++) {
		const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, i);
		if (p && tx_kind(ctx, p) == TX_END)
			commit = p;
	}

	struct mg_report_opt o = { .no_lock = true };
	if (sqlite) {
		o.severity = MG_SEV_ERROR;
		if (outer)
			mg_lint_report_opt(ctx, &o, st->stmt->off, 0,
					   "BEGIN inside the transaction opened at "
					   "line %u fails on SQLite (\"cannot start a "
					   "transaction within a transaction\"); use "
					   "SAVEPOINT to nest",
					   line_of(ctx, outer->stmt->off));
		else
			mg_lint_report_opt(ctx, &o, st->stmt->off, 0,
					   "BEGIN fails on SQLite (\"cannot start a "
					   "transaction within a transaction\"): the "
					   "runner already runs this migration in a "
					   "transaction; remove BEGIN/COMMIT or mark "
					   "the file -- migrate:no-transaction");
		return;
	}
	char tail[256] = "";
	if (commit)
		snprintf(tail, sizeof tail,
			 ", and the COMMIT at line %u then ends the %s transaction: "
			 "what follows it runs outside any transaction, so a "
			 "failure leaves the migration half applied",
			 line_of(ctx, commit->stmt->off),
			 outer ? "outer" : "runner's");
	if (outer)
		mg_lint_report_opt(ctx, &o, st->stmt->off, 0,
				   "BEGIN inside the transaction opened at line %u "
				   "is ignored with a warning (\"there is already a "
				   "transaction in progress\")%s; use SAVEPOINT to nest",
				   line_of(ctx, outer->stmt->off), tail);
	else
		mg_lint_report_opt(ctx, &o, st->stmt->off, 0,
				   "BEGIN inside the transaction the runner already "
				   "runs this migration in is ignored with a warning "
				   "(\"there is already a transaction in progress\")%s; "
				   "remove BEGIN/COMMIT or mark the file "
				   "-- migrate:no-transaction",
				   tail);
}

static const char *const kinds[] = { "TransactionStmt", NULL };

const struct mg_rule mg_rule_nested_transaction = {
	.id = "nested-transaction",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_ALL_DIALECTS,
	.kinds = kinds,
	.check = on_stmt,
	.check_tokens = on_stmt,
};
