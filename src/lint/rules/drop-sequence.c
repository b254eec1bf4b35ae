/*
 * drop-sequence: DROP SEQUENCE of a sequence that exists before the
 * migration (docs/rules/drop-sequence.md).
 *
 * Quiet when the sequence was created earlier in the same script, when the
 * name is defined again later in the same script (CREATE SEQUENCE, or a
 * rename of another sequence to it), or when it got its name from a rename
 * earlier in this script and its original name was defined again since.
 * In a downgrade, dropping a sequence the matching upgrade created is an
 * info.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

#define NAMELEN 64

/* The sequence a statement defines (CREATE SEQUENCE), or the relation a
 * rename renames (*newname set). */
static const cJSON *defines(const struct mg_lint_stmt *s, const char **newname)
{
	const char *k = s ? s->kind : NULL;
	const cJSON *nd = s ? s->node : NULL;

	*newname = NULL;
	if (!k)
		return NULL;
	if (!strcmp(k, "CreateSeqStmt"))
		return mg_node_get(nd, "sequence");
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
	size_t idx = 0, start = 2, ntok; /* DROP SEQUENCE */
	const struct mg_token *t;
	const cJSON *it;

	if (!rt || strcmp(rt, "OBJECT_SEQUENCE"))
		return;
	t = mg_lint_tokens(ctx, st, &ntok);
	if (mg_lint_tok_match(ctx, st, start, "IF", "EXISTS", NULL))
		start += 2;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
		size_t len = mg_lint_len(items), a, b, off = st->stmt->off, l = 0;
		const char *name = mg_lint_list_last(items);
		const char *schema = len >= 2 ? mg_lint_strval(mg_lint_at(items, len - 2)) : NULL;
		const struct mg_cat_table *q = name ? mg_lint_table_named(ctx, schema, name) : NULL;
		enum mg_origin origin = mg_lint_table_origin(ctx, q);
		struct mg_report_opt o = { 0 };
		struct mg_lock lk;
		char shown[2 * NAMELEN + 2];

		idx++;
		if (!name || origin == MG_ORIGIN_NEW)
			continue;
		if (q && q->temp)
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
			mg_lint_report_opt(ctx, &o, off, l, "sequence \"%s\" is dropped",
					   shown);
		else if (cascade)
			mg_lint_report_opt(ctx, &o, off, l,
					   "sequence \"%s\" is dropped with CASCADE: column "
					   "defaults that call nextval() on it are removed, so "
					   "inserts that omit those columns get NULL, and the "
					   "running app version's own nextval() calls fail",
					   shown);
		else
			mg_lint_report_opt(ctx, &o, off, l,
					   "sequence \"%s\" is dropped while the running app "
					   "version or a column default may still call "
					   "nextval() on it", shown);
	}
}

const struct mg_rule mg_rule_drop_sequence = {
	.id = "drop-sequence",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
