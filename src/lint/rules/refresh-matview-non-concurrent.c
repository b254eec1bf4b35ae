/*
 * refresh-matview-non-concurrent: REFRESH MATERIALIZED VIEW without
 * CONCURRENTLY.
 *
 * A plain refresh holds ACCESS EXCLUSIVE on the materialized view while it
 * runs the whole query again: every read of the view waits for it.
 * REFRESH MATERIALIZED VIEW CONCURRENTLY computes the new contents next to
 * the old ones and applies the difference under EXCLUSIVE, which lets
 * reads go on. It needs a UNIQUE index on the view that uses plain columns
 * only (no expression, no WHERE) and a view that has been populated once;
 * when the catalog knows the view and it has no such index, the message
 * says so.
 *
 * Not reported: views created earlier in the same script (nobody reads
 * them yet); REFRESH ... WITH NO DATA (it only empties the view, quickly,
 * and cannot be concurrent).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "RefreshMatViewStmt", NULL };

/* A unique index usable by REFRESH ... CONCURRENTLY: unique, not partial,
 * every key a plain column. */
static bool has_usable_unique(const struct mg_catalog *cat, const struct mg_cat_table *t)
{
	size_t pos = 0;
	const struct mg_cat_index *x;

	while ((x = mg_cat_table_index_next(cat, t, &pos))) {
		bool plain = x->unique && !x->partial && x->ncolumns > 0;
		for (size_t i = 0; plain && i < x->ncolumns; i++)
			plain = x->columns[i][0] != '\0';
		if (plain)
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	const struct mg_catalog *cat = mg_lint_catalog(ctx);
	const struct mg_cat_table *t;
	char name[160];
	size_t off, end;

	if (mg_node_bool(st->node, "concurrent") || mg_node_bool(st->node, "skipData"))
		return;
	t = mg_lint_table(ctx, rv);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rv, name, sizeof(name));
	if (!mg_lint_word_span(ctx, st, st->stmt->off, "VIEW", &off, &end)) {
		off = st->stmt->off;
		end = off;
	}
	if (t && t->kind == MG_REL_MATVIEW && !t->stub && !has_usable_unique(cat, t))
		mg_lint_report(ctx, off, end - off,
			       "REFRESH MATERIALIZED VIEW \"%s\" without CONCURRENTLY "
			       "blocks every read of the view until the refresh commits; "
			       "CONCURRENTLY needs a UNIQUE index on plain columns of "
			       "\"%s\", which it does not have yet", name, name);
	else
		mg_lint_report(ctx, off, end - off,
			       "REFRESH MATERIALIZED VIEW \"%s\" without CONCURRENTLY "
			       "blocks every read of the view until the refresh commits",
			       name);
}

const struct mg_rule mg_rule_refresh_matview_non_concurrent = {
	.id = "refresh-matview-non-concurrent",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
