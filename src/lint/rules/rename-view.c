/*
 * rename-view: renaming a view or materialized view that exists before the
 * migration (docs/rules/rename-view.md): ALTER VIEW / ALTER MATERIALIZED
 * VIEW ... RENAME TO, and ALTER TABLE ... RENAME TO on a name the catalog
 * knows is a view.
 *
 * Quiet when the view was created earlier in the same script, and when the
 * old name is defined again later in the same script (an alias view keeps
 * the old name working, or the view is being swapped).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "RenameStmt", NULL };

#define NAMELEN 64

static bool redefined_later(struct mg_lint_ctx *ctx, size_t from,
			    const char *schema, const char *name)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *k = s ? s->kind : NULL;
		const cJSON *nd = s ? s->node : NULL;
		if (!k)
			continue;
		if ((!strcmp(k, "ViewStmt") && mg_rv_is(mg_node_get(nd, "view"), schema, name)) ||
		    (!strcmp(k, "CreateTableAsStmt") &&
		     mg_rv_is(mg_node_get(mg_node_get(nd, "into"), "rel"), schema, name)) ||
		    (!strcmp(k, "CreateStmt") &&
		     mg_rv_is(mg_node_get(nd, "relation"), schema, name)))
			return true;
		if (!strcmp(k, "RenameStmt") && !mg_node_str(nd, "subname") &&
		    mg_rel_same(mg_node_str(mg_node_get(nd, "relation"), "schemaname"),
			 mg_node_str(nd, "newname"), schema, name))
			return true;
	}
	return false;
}

/* A downgrade normally undoes what its upgrade did (the app version being
 * rolled back to expects that), so there it is an info. */
static const char *down_note(const struct mg_lint_ctx *ctx, struct mg_report_opt *o)
{
	if (!mg_lint_is_down(ctx))
		return "";
	o->severity = MG_SEV_INFO;
	return " (in a downgrade: expected when it undoes the matching upgrade)";
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct mg_report_opt o = { 0 };
	const char *rt = mg_node_str(st->node, "renameType");
	const cJSON *rv = mg_node_get(st->node, "relation");
	const char *newname = mg_node_str(st->node, "newname");
	const char *schema = mg_node_str(rv, "schemaname");
	const char *name = mg_node_str(rv, "relname");
	const struct mg_cat_table *v;
	const char *text = mg_lint_text(ctx);
	char shown[2 * NAMELEN + 2];
	bool mat;
	size_t n, i = 2, off = mg_lint_node_off(st, rv), len = 0;
	const struct mg_token *t;

	if (!rt || !name || !newname)
		return;
	v = mg_lint_table(ctx, rv);
	if (!strcmp(rt, "OBJECT_VIEW"))
		mat = false;
	else if (!strcmp(rt, "OBJECT_MATVIEW"))
		mat = true;
	else if (!strcmp(rt, "OBJECT_TABLE") && v &&
		 (v->kind == MG_REL_VIEW || v->kind == MG_REL_MATVIEW))
		mat = v->kind == MG_REL_MATVIEW;
	else
		return;
	if (v && v->kind == MG_REL_MATVIEW)
		mat = true;
	if (mg_lint_table_origin(ctx, v) == MG_ORIGIN_NEW || (v && v->temp))
		return;
	if (redefined_later(ctx, st->index, schema, name))
		return;
	t = mg_lint_tokens(ctx, st, &n);
	if (mg_lint_tok_match(ctx, st, 1, "MATERIALIZED", NULL))
		i = 3;
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	if (i < n) {
		off = t[i].off;
		len = t[i].end - t[i].off;
		if (i + 2 < n && text[t[i + 1].off] == '.')
			len = t[i + 2].end - t[i].off;
	}
	snprintf(shown, sizeof(shown), "%s%s%s", schema ? schema : "",
		 schema ? "." : "", name);
	mg_lint_report_opt(ctx, &o, off, len,
		       "%s \"%s\" is renamed to \"%s\" while the running app version "
		       "still queries \"%s\"%s", mat ? "materialized view" : "view",
		       shown, newname, name, down_note(ctx, &o));
}

const struct mg_rule mg_rule_rename_view = {
	.id = "rename-view",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
