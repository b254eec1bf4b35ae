/*
 * create-index-non-concurrent: CREATE INDEX without CONCURRENTLY on a table
 * that exists before the migration (docs/rules/create-index-non-concurrent.md).
 *
 * Quiet for a table created earlier in the same script (it is empty and
 * nobody else sees it). The finding points at "CREATE [UNIQUE] INDEX"; the
 * engine adds the SHARE lock on the table. Unparsed statements are checked
 * from their tokens: CREATE [UNIQUE] INDEX without CONCURRENTLY ... ON t.
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

static const char *const kinds[] = { "IndexStmt", NULL };

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *idx = mg_node_str(st->node, "idxname");
	char table[140];
	size_t off = st->stmt->off, end;

	if (mg_node_bool(st->node, "concurrent"))
		return;
	if (mg_lint_rv_is_new(ctx, rel))
		return;
	if (!mg_lint_word_span(ctx, st, off, "INDEX", &off, &end))
		end = off;
	off = st->stmt->off;
	mg_lint_rv_name(rel, table, sizeof(table));
	if (idx)
		mg_lint_report(ctx, off, end - off,
			       "index \"%s\" is built without CONCURRENTLY: writes to "
			       "\"%s\" wait until the whole build finishes", idx, table);
	else
		mg_lint_report(ctx, off, end - off,
			       "index on \"%s\" is built without CONCURRENTLY: writes to "
			       "it wait until the whole build finishes", table);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, on;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char a[64] = "", b[64] = "", shown[140];
	const struct mg_cat_table *tab;

	if (mg_lint_tok_match(ctx, st, 0, "CREATE", "INDEX", NULL))
		i = 2;
	else if (mg_lint_tok_match(ctx, st, 0, "CREATE", "UNIQUE", "INDEX", NULL))
		i = 3;
	else
		return;
	if (mg_lint_tok_match(ctx, st, i, "CONCURRENTLY", NULL))
		return;
	on = mg_lint_tok_find(ctx, st, i, "ON");
	if (on + 1 >= n)
		return;
	on++;
	if (mg_lint_tok_match(ctx, st, on, "ONLY", NULL))
		on++;
	if (on >= n)
		return;
	if (on + 2 < n && text[t[on + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[on], a, sizeof(a));
		mg_lint_tok_ident(ctx, &t[on + 2], b, sizeof(b));
	} else {
		mg_lint_tok_ident(ctx, &t[on], b, sizeof(b));
	}
	tab = mg_lint_table_named(ctx, a, b);
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW)
		return;
	snprintf(shown, sizeof(shown), "%s%s%s", a, a[0] ? "." : "", b);
	mg_lint_report(ctx, t[0].off, t[i - 1].end - t[0].off,
		       "index on \"%s\" is built without CONCURRENTLY: writes to it "
		       "wait until the whole build finishes", shown);
}

const struct mg_rule mg_rule_create_index_non_concurrent = {
	.id = "create-index-non-concurrent",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
