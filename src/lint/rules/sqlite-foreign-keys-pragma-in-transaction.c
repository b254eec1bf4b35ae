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

#include "lint/rule.h"

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

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t v = fk_pragma_value(ctx, st), n = 0;
	const struct mg_token *tok;
	const char *text = mg_lint_text(ctx);
	char val[32];
	bool off;

	if (!v || !st->in_txn)
		return;
	tok = mg_lint_tokens(ctx, st, &n);
	if (v >= n)
		return;
	snprintf(val, sizeof val, "%.*s", (int)(tok[v].end - tok[v].off),
		 text + tok[v].off);
	off = mg_token_is(text, &tok[v], "OFF") || mg_token_is(text, &tok[v], "FALSE") ||
	      mg_token_is(text, &tok[v], "NO") || mg_token_is(text, &tok[v], "0") ||
	      mg_token_is(text, &tok[v], "'OFF'") || mg_token_is(text, &tok[v], "'0'");

	if (st->explicit_txn) {
		/* find the BEGIN that opened it */
		size_t b = st->index;
		while (b > 0) {
			const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, b - 1);
			if (!p || p->txn != st->txn)
				break;
			b--;
		}
		const struct mg_lint_stmt *begin = mg_lint_stmt_at(ctx, b);
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   st->stmt->off, 0,
				   "PRAGMA foreign_keys = %s is a silent no-op inside "
				   "the transaction opened at line %u: foreign key "
				   "enforcement does not change%s; run it before BEGIN",
				   val, begin ? line_of(ctx, begin->stmt->off) : 0,
				   off ? " (a later DROP TABLE still deletes rows "
					 "and fires ON DELETE actions)" : "");
	} else {
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   st->stmt->off, 0,
				   "PRAGMA foreign_keys = %s is a silent no-op here: "
				   "the runner runs this migration in a transaction, "
				   "so foreign key enforcement does not change%s; mark "
				   "the file -- migrate:no-transaction and run the "
				   "PRAGMA before BEGIN",
				   val, off ? " (a later DROP TABLE still deletes rows "
					      "and fires ON DELETE actions)" : "");
	}
}

const struct mg_rule mg_rule_sqlite_foreign_keys_pragma_in_transaction = {
	.id = "sqlite-foreign-keys-pragma-in-transaction",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_SQLITE,
	.kinds = NULL,
	.check = NULL,
	.check_tokens = check_tokens,
};
