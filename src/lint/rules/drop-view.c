/*
 * drop-view: DROP VIEW / DROP MATERIALIZED VIEW of a view that exists
 * before the migration (docs/rules/drop-view.md).
 *
 * Quiet when:
 *  - the view was created earlier in the same script;
 *  - the name is defined again later in the same script (DROP VIEW v;
 *    CREATE VIEW v AS ... is how a view's columns are changed when CREATE
 *    OR REPLACE cannot do it; CREATE MATERIALIZED VIEW, CREATE TABLE, or a
 *    rename of another relation to the name count too): clients still find
 *    a relation under that name;
 *  - the view got its name from a rename earlier in this script and its
 *    original name was defined again since (a swap).
 * In a downgrade, dropping a view the matching upgrade created is an info.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

#define NAMELEN 64

/* The relation a statement defines (CREATE VIEW / MATERIALIZED VIEW /
 * TABLE [AS]), or the new name of a relation rename (*renamed = true). */
static const cJSON *defines(const struct mg_lint_stmt *s, const char **newname)
{
	const char *k = s ? s->kind : NULL;
	const cJSON *nd = s ? s->node : NULL;

	*newname = NULL;
	if (!k)
		return NULL;
	if (!strcmp(k, "ViewStmt"))
		return mg_node_get(nd, "view");
	if (!strcmp(k, "CreateTableAsStmt"))
		return mg_node_get(mg_node_get(nd, "into"), "rel");
	if (!strcmp(k, "CreateStmt"))
		return mg_node_get(nd, "relation");
	if (!strcmp(k, "RenameStmt") && !mg_node_str(nd, "subname") &&
	    mg_node_get(nd, "relation")) {
		*newname = mg_node_str(nd, "newname");
		return mg_node_get(nd, "relation");
	}
	return NULL;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const char *beh = mg_node_str(st->node, "behavior");
	bool cascade = beh && !strcmp(beh, "DROP_CASCADE");
	bool mat;
	size_t idx = 0, start, ntok;
	const struct mg_token *t;
	const cJSON *it;

	if (!rt || (strcmp(rt, "OBJECT_VIEW") && strcmp(rt, "OBJECT_MATVIEW")))
		return;
	mat = !strcmp(rt, "OBJECT_MATVIEW");
	t = mg_lint_tokens(ctx, st, &ntok);
	start = mat ? 3 : 2; /* DROP [MATERIALIZED] VIEW */
	if (mg_lint_tok_match(ctx, st, start, "IF", "EXISTS", NULL))
		start += 2;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
		size_t len = mg_lint_len(items), a, b, off = st->stmt->off, l = 0;
		const char *name = mg_lint_list_last(items);
		const char *schema = len >= 2 ? mg_lint_strval(mg_lint_at(items, len - 2)) : NULL;
		const struct mg_cat_table *v = name ? mg_lint_table_named(ctx, schema, name) : NULL;
		enum mg_origin origin = mg_lint_table_origin(ctx, v);
		struct mg_report_opt o = { 0 };
		struct mg_lock lk;
		char shown[2 * NAMELEN + 2];
		const char *what = mat ? "materialized view" : "view";

		idx++;
		if (!name || origin == MG_ORIGIN_NEW)
			continue;
		if (v && v->temp)
			continue;
		if (mg_rel_replaced_later(ctx, st->index, schema, name, defines) ||
		    mg_rel_swapped_in_script(ctx, st->index, schema, name, defines))
			continue;
		if (mg_drop_name_span(ctx, st, start, idx - 1, &a, &b) && b < ntok) {
			off = t[a].off;
			l = t[b].end - t[a].off;
		}
		snprintf(shown, sizeof(shown), "%s%s%s", schema ? schema : "",
			 schema ? "." : "", name);
		o.dropped = origin;
		if (mg_lint_lock_on(ctx, st, schema, name, &lk))
			o.lock = &lk;
		if (origin == MG_ORIGIN_UPGRADE)
			mg_lint_report_opt(ctx, &o, off, l, "%s \"%s\" is dropped", what,
					   shown);
		else
			mg_lint_report_opt(ctx, &o, off, l,
					   "%s \"%s\" is dropped while the running app "
					   "version may still query it%s%s", what, shown,
					   mat ? ", and its stored rows are discarded" : "",
					   cascade ? "; CASCADE also drops every view built "
					   "on it" : "");
	}
}

const struct mg_rule mg_rule_drop_view = {
	.id = "drop-view",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
