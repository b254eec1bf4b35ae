/*
 * sqlite-foreign-keys-pragma-in-transaction: PRAGMA foreign_keys = ... while
 * a transaction is open.
 *
 * SQLite documents that this pragma "is a no-op within a transaction": it
 * silently does nothing, so foreign key enforcement stays as it was. This is
 * how the classic 12-step table rebuild goes wrong: PRAGMA foreign_keys = OFF
 * inside the transaction, then DROP TABLE runs with foreign keys still ON,
 * deletes the table's rows first and fires ON DELETE CASCADE / SET NULL in
 * the tables that reference it (or fails). A migration the runner wraps in
 * a transaction (anything not -- migrate:no-transaction) is always inside
 * one. Reading the setting (PRAGMA foreign_keys;) is fine: quiet. The
 * PostgreSQL grammar cannot parse PRAGMA, so this is a token-level check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/rule.h"
#include "sql/pgscan.h"

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* PRAGMA [schema.]foreign_keys = v / (v): index of the value token, or 0. */
static size_t fk_pragma_value(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t i;

	if (!mg_lint_tok_match(ctx, st, 0, "PRAGMA", NULL))
		return 0;
	if (mg_lint_tok_match(ctx, st, 1, "FOREIGN_KEYS", NULL))
		i = 2;
	else if (mg_lint_tok_match(ctx, st, 1, "*", ".", "FOREIGN_KEYS", NULL))
		i = 4;
	else
		return 0;
	if (mg_lint_tok_match(ctx, st, i, "=", "*", NULL) ||
	    mg_lint_tok_match(ctx, st, i, "(", "*", NULL))
		return i + 1;
	return 0;
}

/* The BEGIN that opened st's explicit transaction, or NULL. */
static const struct mg_lint_stmt *begin_of(const struct mg_lint_ctx *ctx,
					   const struct mg_lint_stmt *st)
{
	size_t b = st->index;
	while (b > 0) {
		const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, b - 1);
		if (!p || p->txn != st->txn)
			break;
		b--;
	}
	return mg_lint_stmt_at(ctx, b);
}

/* Report PRAGMA foreign_keys = <value token v> at off. begin: the BEGIN
 * of the explicit transaction it is in, or NULL for the runner's. */
static void report(struct mg_lint_ctx *ctx, size_t off, const struct mg_token *v,
		   const struct mg_lint_stmt *begin)
{
	const char *text = mg_lint_text(ctx);
	char val[32];
	bool off_ = mg_token_is(text, v, "OFF") || mg_token_is(text, v, "FALSE") ||
		    mg_token_is(text, v, "NO") || mg_token_is(text, v, "0") ||
		    mg_token_is(text, v, "'OFF'") || mg_token_is(text, v, "'0'");
	const char *tail = off_ ? " (if they are on, a later DROP TABLE still "
				  "deletes rows and fires ON DELETE actions)" : "";

	snprintf(val, sizeof val, "%.*s", (int)(v->end - v->off), text + v->off);
	if (begin)
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, 0,
				   "PRAGMA foreign_keys = %s is a silent no-op inside "
				   "the transaction opened at line %u: foreign key "
				   "enforcement does not change%s; run it before BEGIN",
				   val, line_of(ctx, begin->stmt->off), tail);
	else
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   off, 0,
				   "PRAGMA foreign_keys = %s is a silent no-op here: "
				   "the runner runs this migration in a transaction, "
				   "so foreign key enforcement does not change%s; mark "
				   "the file -- migrate:no-transaction and run the "
				   "PRAGMA before BEGIN",
				   val, tail);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t v = fk_pragma_value(ctx, st), n = 0;
	const struct mg_token *tok;

	if (!v || !st->in_txn)
		return;
	tok = mg_lint_tokens(ctx, st, &n);
	if (v >= n)
		return;
	report(ctx, st->stmt->off, &tok[v], st->explicit_txn ? begin_of(ctx, st) : NULL);
}

/* ---- statements the splitter lost ----
 * The scanner-based statement split drops statements made only of
 * non-keyword tokens (PRAGMA foreign_keys = 0;), so they never reach
 * check_tokens. At the end of the script, look for them in the text
 * between the statements that were kept. */

static bool ends_txn(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (st->kind) {
		const char *k = mg_node_str(st->node, "kind");
		return strcmp(st->kind, "TransactionStmt") == 0 && k &&
		       (strcmp(k, "TRANS_STMT_COMMIT") == 0 ||
			strcmp(k, "TRANS_STMT_ROLLBACK") == 0) &&
		       !mg_node_bool(st->node, "chain");
	}
	return mg_lint_tok_match(ctx, st, 0, "COMMIT", NULL) ||
	       mg_lint_tok_match(ctx, st, 0, "END", NULL) ||
	       (mg_lint_tok_match(ctx, st, 0, "ROLLBACK", NULL) &&
		!mg_lint_tok_match(ctx, st, 1, "TO", NULL));
}

static void scan_gap(struct mg_lint_ctx *ctx, size_t from, size_t to,
		     const struct mg_lint_stmt *begin)
{
	const char *text = mg_lint_text(ctx);
	struct mg_token *t = NULL;
	long n;

	if (to <= from)
		return;
	n = mg_pg_scan(text, from, to, &t);
	for (long i = 0; i + 3 < n; i++) {
		long j = i + 1;
		if (!mg_token_is(text, &t[i], "PRAGMA"))
			continue;
		if (j + 2 < n && t[j + 1].end - t[j + 1].off == 1 &&
		    text[t[j + 1].off] == '.')
			j += 2;
		if (j + 2 >= n || !mg_token_is(text, &t[j], "FOREIGN_KEYS") ||
		    t[j + 1].end - t[j + 1].off != 1 ||
		    (text[t[j + 1].off] != '=' && text[t[j + 1].off] != '('))
			continue;
		report(ctx, t[i].off, &t[j + 2], begin);
	}
	free(t);
}

/* The text around the statements of this script: it starts after the
 * nearest "-- migrate:up" / "-- migrate:down" section marker before off
 * (or at the file start) and stops at the next marker after off (or at
 * the end of the file). */
static bool marker_at(const char *line)
{
	return strncmp(line, "-- migrate:up", 13) == 0 ||
	       strncmp(line, "-- migrate:down", 15) == 0;
}

static size_t script_start(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	size_t i = off;

	while (i > 0) {
		size_t ls = i - 1;
		while (ls > 0 && text[ls - 1] != '\n')
			ls--;
		if (marker_at(text + ls)) {
			while (text[ls] && text[ls] != '\n')
				ls++;
			return ls;
		}
		i = ls;
	}
	return 0;
}

static size_t script_stop(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	size_t i = off;

	while (text[i]) {
		if ((i == 0 || text[i - 1] == '\n') && marker_at(text + i))
			return i;
		i++;
	}
	return i;
}

static void script_end(struct mg_lint_ctx *ctx)
{
	size_t n = mg_lint_nstmts(ctx);
	const struct mg_lint_stmt *first = mg_lint_stmt_at(ctx, 0);
	const struct mg_lint_stmt *last = n ? mg_lint_stmt_at(ctx, n - 1) : NULL;

	if (!first || !last)
		return;
	/* before the first statement: in the runner's transaction, if any */
	if (!mg_lint_script_no_tx(ctx))
		scan_gap(ctx, script_start(ctx, first->stmt->off), first->stmt->off,
			 NULL);
	/* after the last one */
	if (last->in_txn && !ends_txn(ctx, last))
		scan_gap(ctx, last->stmt->end, script_stop(ctx, last->stmt->end),
			 last->explicit_txn ? begin_of(ctx, last) : NULL);
	/* gaps between kept statements; a lost statement runs in the
	 * transaction state left by the statement before it */
	for (size_t i = 1; i < n; i++) {
		const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, i - 1);
		const struct mg_lint_stmt *q = mg_lint_stmt_at(ctx, i);
		if (!p || !q || !p->in_txn || ends_txn(ctx, p))
			continue;
		scan_gap(ctx, p->stmt->end, q->stmt->off,
			 p->explicit_txn ? begin_of(ctx, p) : NULL);
	}
}

const struct mg_rule mg_rule_sqlite_foreign_keys_pragma_in_transaction = {
	.id = "sqlite-foreign-keys-pragma-in-transaction",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_SQLITE,
	.kinds = NULL,
	.check = NULL,
	.check_tokens = check_tokens,
	.script_end = script_end,
};
