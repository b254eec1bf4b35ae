/*
 * unbatched-dml: UPDATE or DELETE without WHERE on a table that exists.
 *
 * A whole-table UPDATE/DELETE in a migration is a backfill (or a purge)
 * done as one statement: on PostgreSQL it row-locks every row until the
 * migration commits (so application writes to any row wait), writes a new
 * version of every row (the table and its indexes bloat, replicas lag);
 * on SQLite it holds the database's single write lock for as long as it
 * runs. Batch it by key range, outside the DDL transaction. Quiet on tables
 * created earlier in the same script (their rows were written by this
 * script too) and on temporary tables.
 *
 * Statements the PostgreSQL grammar cannot parse (SQLite's UPDATE OR
 * REPLACE, DELETE ... LIMIT, ...) are checked from their tokens: a WHERE
 * at parenthesis depth 0 is looked for.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static void report(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		   bool update, const char *name)
{
	if (mg_lint_dialect(ctx) == MG_LINT_SQLITE)
		mg_lint_report(ctx, st->stmt->off, 0,
			       "%s without WHERE %s every row of \"%s\" in one "
			       "statement, holding the database's write lock "
			       "for all of it",
			       update ? "UPDATE" : "DELETE",
			       update ? "rewrites" : "deletes", name);
	else
		mg_lint_report(ctx, st->stmt->off, 0,
			       "%s without WHERE %s every row of \"%s\" in one "
			       "statement: every row stays locked until %s and "
			       "each leaves a dead row version behind",
			       update ? "UPDATE" : "DELETE",
			       update ? "rewrites" : "deletes", name,
			       st->in_txn ? "the transaction commits"
					  : "the statement ends");
}

static bool quiet_table(const struct mg_lint_ctx *ctx, const struct mg_cat_table *t)
{
	return mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW || (t && t->temp);
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	char name[160];

	if (mg_node_get(st->node, "whereClause") || !rv)
		return;
	if (quiet_table(ctx, mg_lint_table(ctx, rv)))
		return;
	mg_lint_rv_name(rv, name, sizeof name);
	report(ctx, st, strcmp(st->kind, "UpdateStmt") == 0, name);
}

/* UPDATE [OR x] [schema.]name ... / DELETE FROM [schema.]name ... */
static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const struct mg_token *tok = st->tokens;
	size_t n = st->ntokens, i = 0;
	const char *text = mg_lint_text(ctx);
	bool update;
	char schema[128] = "", name[128] = "";
	int depth = 0;

	if (n < 2 || !tok)
		return;
	if (mg_token_is(text, &tok[0], "UPDATE")) {
		update = true;
		i = 1;
		if (mg_lint_tok_match(ctx, st, 1, "OR", "*", NULL))
			i = 3;
	} else if (mg_token_is(text, &tok[0], "DELETE") &&
		   mg_token_is(text, &tok[1], "FROM")) {
		update = false;
		i = 2;
	} else {
		return;
	}
	if (i >= n)
		return;
	mg_lint_tok_ident(ctx, &tok[i], name, sizeof name);
	if (i + 2 < n && tok[i + 1].end - tok[i + 1].off == 1 &&
	    text[tok[i + 1].off] == '.') {
		memcpy(schema, name, sizeof schema);
		mg_lint_tok_ident(ctx, &tok[i + 2], name, sizeof name);
	}
	for (size_t k = i; k < n; k++) {
		const char c = text[tok[k].off];
		if (tok[k].end - tok[k].off == 1 && c == '(')
			depth++;
		else if (tok[k].end - tok[k].off == 1 && c == ')')
			depth--;
		else if (depth == 0 && mg_token_is(text, &tok[k], "WHERE"))
			return;
	}
	const struct mg_cat_table *t = mg_lint_table_named(ctx, schema, name);
	if (quiet_table(ctx, t))
		return;
	char full[300];
	snprintf(full, sizeof full, "%s%s%s", schema, schema[0] ? "." : "", name);
	report(ctx, st, update, full);
}

static const char *const kinds[] = { "UpdateStmt", "DeleteStmt", NULL };

const struct mg_rule mg_rule_unbatched_dml = {
	.id = "unbatched-dml",
	.default_severity = MG_SEV_WARNING,
	.dialects = MG_LINT_ALL_DIALECTS,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
