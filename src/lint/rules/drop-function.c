/*
 * drop-function: DROP FUNCTION / PROCEDURE / ROUTINE of a routine that
 * exists before the migration (docs/rules/drop-function.md).
 *
 * Quiet when the routine was created earlier in the same script, and when
 * a routine of the same name is created again later in the same script
 * (DROP FUNCTION f(int); CREATE FUNCTION f(int) RETURNS ... is how a
 * return type or argument list is changed, which CREATE OR REPLACE cannot
 * do). In a downgrade, dropping a routine the matching upgrade created is
 * an info.
 *
 * Trigger functions cannot be called by the app (PostgreSQL refuses to
 * call them outside a trigger), so dropping one breaks nothing the
 * trigger's own removal did not already break. The catalog does not
 * record return types, so a function is taken to be a trigger function
 * when it takes no arguments and the same script dropped a trigger before
 * it (DROP TRIGGER t ON x; DROP FUNCTION t_fn();).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

static const char *sch(const char *s)
{
	return s && s[0] ? s : "public";
}

static const char *list_name(const cJSON *list, const char **schema)
{
	size_t n = mg_lint_len(list);

	*schema = n >= 2 ? mg_lint_strval(mg_lint_at(list, n - 2)) : NULL;
	return mg_lint_list_last(list);
}

static bool recreated_later(struct mg_lint_ctx *ctx, size_t from,
			    const char *schema, const char *name)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *fs, *fn;
		if (!s || !s->kind || strcmp(s->kind, "CreateFunctionStmt"))
			continue;
		fn = list_name(mg_node_get(s->node, "funcname"), &fs);
		if (fn && !strcmp(fn, name) && !strcmp(sch(fs), sch(schema)))
			return true;
	}
	return false;
}

/* An argument-less routine dropped after a DROP TRIGGER in this script. */
static bool looks_like_trigger_fn(struct mg_lint_ctx *ctx, size_t upto,
				  const cJSON *ow)
{
	if (mg_lint_len(mg_node_get(ow, "objargs")))
		return false;
	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *rt = s ? mg_node_str(s->node, "removeType") : NULL;
		if (s && s->kind && !strcmp(s->kind, "DropStmt") && rt &&
		    !strcmp(rt, "OBJECT_TRIGGER"))
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const char *beh = mg_node_str(st->node, "behavior");
	const char *text = mg_lint_text(ctx);
	bool cascade = beh && !strcmp(beh, "DROP_CASCADE");
	size_t idx = 0, start = 2, ntok; /* DROP FUNCTION */
	const struct mg_token *t;
	const char *what;
	const cJSON *it;

	if (!rt)
		return;
	if (!strcmp(rt, "OBJECT_FUNCTION"))
		what = "function";
	else if (!strcmp(rt, "OBJECT_PROCEDURE"))
		what = "procedure";
	else if (!strcmp(rt, "OBJECT_ROUTINE"))
		what = "routine";
	else
		return;
	t = mg_lint_tokens(ctx, st, &ntok);
	if (mg_lint_tok_match(ctx, st, start, "IF", "EXISTS", NULL))
		start += 2;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *ow = mg_node_get(it, "ObjectWithArgs");
		const char *schema, *name = list_name(mg_node_get(ow, "objname"), &schema);
		const struct mg_cat_func *f;
		enum mg_origin origin;
		struct mg_report_opt o = { 0 };
		size_t a, b, off = st->stmt->off, l = 0;
		char shown[200];

		idx++;
		if (!name)
			continue;
		f = mg_cat_func(mg_lint_catalog(ctx), schema, name);
		origin = f ? mg_lint_gen_origin(ctx, f->gen) : MG_ORIGIN_UNKNOWN;
		if (origin == MG_ORIGIN_NEW)
			continue;
		if (recreated_later(ctx, st->index, schema, name) ||
		    looks_like_trigger_fn(ctx, st->index, ow))
			continue;
		snprintf(shown, sizeof(shown), "%s%s%s", schema ? schema : "",
			 schema ? "." : "", name);
		if (mg_drop_name_span(ctx, st, start, idx - 1, &a, &b) && b < ntok) {
			off = t[a].off;
			l = t[b].end - t[a].off;
			if (l < sizeof(shown))
				snprintf(shown, sizeof(shown), "%.*s", (int)l, text + off);
		}
		o.dropped = origin;
		o.no_lock = !cascade;
		if (origin == MG_ORIGIN_UPGRADE)
			mg_lint_report_opt(ctx, &o, off, l, "%s \"%s\" is dropped", what,
					   shown);
		else if (cascade)
			mg_lint_report_opt(ctx, &o, off, l,
					   "%s \"%s\" is dropped with CASCADE: triggers, "
					   "defaults, constraints, indexes and views that use "
					   "it are dropped too, and the running app version "
					   "may still call it", what, shown);
		else
			mg_lint_report_opt(ctx, &o, off, l,
					   "%s \"%s\" is dropped while the running app version "
					   "may still call it", what, shown);
	}
}

const struct mg_rule mg_rule_drop_function = {
	.id = "drop-function",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
