/*
 * rename-enum-value: ALTER TYPE ... RENAME VALUE 'old' TO 'new'
 * (docs/rules/rename-enum-value.md).
 *
 * Quiet when the type was created earlier in the same script, or the old
 * label was added by ALTER TYPE ... ADD VALUE earlier in the same script:
 * no row and no app version uses it yet.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterEnumStmt", NULL };

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

/* 'label' was added to schema.name (ADD VALUE) earlier in this script. */
static bool added_in_script(struct mg_lint_ctx *ctx, size_t upto, const char *schema,
			    const char *name, const char *label)
{
	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *ts, *tn, *nv;
		if (!s || !s->kind || strcmp(s->kind, "AlterEnumStmt") ||
		    mg_node_str(s->node, "oldVal"))
			continue;
		tn = list_name(mg_node_get(s->node, "typeName"), &ts);
		nv = mg_node_str(s->node, "newVal");
		if (tn && nv && !strcmp(tn, name) && !strcmp(sch(ts), sch(schema)) &&
		    !strcmp(nv, label))
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
	const char *oldv = mg_node_str(st->node, "oldVal");
	const char *newv = mg_node_str(st->node, "newVal");
	const char *schema, *name = list_name(mg_node_get(st->node, "typeName"), &schema);
	const struct mg_cat_type *ty;
	size_t n, i, off = st->stmt->off, len = 0;
	const struct mg_token *t;

	if (!oldv || !newv || !name)
		return;
	ty = mg_cat_type(mg_lint_catalog(ctx), schema, name);
	if (ty && mg_lint_gen_origin(ctx, ty->gen) == MG_ORIGIN_NEW)
		return;
	if (added_in_script(ctx, st->index, schema, name, oldv))
		return;
	t = mg_lint_tokens(ctx, st, &n);
	i = mg_lint_tok_find(ctx, st, 0, "VALUE");
	if (i + 1 < n) {
		off = t[i + 1].off;
		len = t[i + 1].end - t[i + 1].off;
	}
	mg_lint_report_opt(ctx, &o, off, len,
		       "value '%s' of enum \"%s%s%s\" is renamed to '%s': the running "
		       "app version still writes and compares '%s', which now fails "
		       "with invalid input value for enum%s", oldv, schema ? schema : "",
		       schema ? "." : "", name, newv, oldv, down_note(ctx, &o));
}

const struct mg_rule mg_rule_rename_enum_value = {
	.id = "rename-enum-value",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
