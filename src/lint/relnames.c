/* relnames: see relnames.h. */
#include "relnames.h"

#include <string.h>

const char *mg_rel_schema(const char *s) { return s && s[0] ? s : "public"; }

bool mg_rel_same(const char *s1, const char *n1, const char *s2, const char *n2)
{
	return n1 && n2 && !strcmp(n1, n2) &&
	       !strcmp(mg_rel_schema(s1), mg_rel_schema(s2));
}

bool mg_rv_is(const cJSON *rv, const char *schema, const char *name)
{
	return mg_rel_same(mg_node_str(rv, "schemaname"),
			   mg_node_str(rv, "relname"), schema, name);
}

/* The lock st takes on schema.name. */
bool mg_lint_lock_on(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		     const char *schema, const char *name, struct mg_lock *out)
{
	struct mg_lock locks[16];
	size_t n = mg_lint_stmt_locks(ctx, st, locks, 16);

	for (size_t i = 0; i < n; i++)
		if (mg_rel_same(locks[i].schema, locks[i].relation, schema,
				name)) {
			*out = locks[i];
			return true;
		}
	return false;
}

bool mg_drop_name_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t i, size_t idx, size_t *first, size_t *last)
{
	size_t n, k = 0, start = i;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	int depth = 0;

	for (; i <= n; i++) {
		char c = i < n && t[i].end - t[i].off == 1 ? text[t[i].off] : 0;
		bool stop = i == n ||
			    (depth == 0 &&
			     (c == ',' || c == ';' ||
			      mg_lint_tok_match(ctx, st, i, "CASCADE", NULL) ||
			      mg_lint_tok_match(ctx, st, i, "RESTRICT", NULL)));
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		if (!stop)
			continue;
		if (k == idx) {
			if (i == start)
				return false;
			*first = start;
			*last = i - 1;
			return true;
		}
		if (c != ',')
			return false;
		k++;
		start = i + 1;
	}
	return false;
}

bool mg_rel_replaced_later(struct mg_lint_ctx *ctx, size_t from,
			   const char *schema, const char *name,
			   mg_rel_defines_fn defines)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const char *nn;
		const cJSON *rv = defines(mg_lint_stmt_at(ctx, j), &nn);
		if (!rv)
			continue;
		if (nn ? mg_rel_same(mg_node_str(rv, "schemaname"), nn, schema,
				     name)
		       : mg_rv_is(rv, schema, name))
			return true;
	}
	return false;
}

bool mg_rel_swapped_in_script(struct mg_lint_ctx *ctx, size_t upto,
			      const char *schema, const char *name,
			      mg_rel_defines_fn defines)
{
	for (size_t j = 0; j < upto; j++) {
		const char *nn;
		const cJSON *rv = defines(mg_lint_stmt_at(ctx, j), &nn);
		if (!rv || !nn ||
		    !mg_rel_same(mg_node_str(rv, "schemaname"), nn, schema,
				 name))
			continue;
		if (mg_lint_table_origin(ctx, mg_lint_table(ctx, rv)) ==
		    MG_ORIGIN_NEW)
			return true;
	}
	return false;
}
