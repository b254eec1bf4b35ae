/*
 * rename-type: ALTER TYPE / ALTER DOMAIN ... RENAME TO of a type that
 * exists before the migration (docs/rules/rename-type.md).
 *
 * Quiet when the type was created earlier in the same script, and when the
 * old name is defined again later in the same script: that is a type
 * recreation (ALTER TYPE x RENAME TO x_old; CREATE TYPE x ...), whose
 * effect on enum labels enum-value-removed judges.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "RenameStmt", NULL };

#define NAMELEN 64

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

static bool list_is(const cJSON *list, const char *schema, const char *name)
{
	const char *s, *n = list_name(list, &s);

	return n && !strcmp(n, name) && !strcmp(sch(s), sch(schema));
}

static bool redefined_later(struct mg_lint_ctx *ctx, size_t from,
			    const char *schema, const char *name)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *k = s ? s->kind : NULL;
		const cJSON *nd = s ? s->node : NULL;
		const char *rt;
		if (!k)
			continue;
		if (((!strcmp(k, "CreateEnumStmt") || !strcmp(k, "CreateRangeStmt")) &&
		     list_is(mg_node_get(nd, "typeName"), schema, name)) ||
		    (!strcmp(k, "CreateDomainStmt") &&
		     list_is(mg_node_get(nd, "domainname"), schema, name)) ||
		    (!strcmp(k, "DefineStmt") &&
		     list_is(mg_node_get(nd, "defnames"), schema, name)))
			return true;
		if (!strcmp(k, "CompositeTypeStmt")) {
			const cJSON *rv = mg_node_get(nd, "typevar");
			const char *rn = mg_node_str(rv, "relname");
			if (rn && !strcmp(rn, name) &&
			    !strcmp(sch(mg_node_str(rv, "schemaname")), sch(schema)))
				return true;
		}
		rt = mg_node_str(nd, "renameType");
		if (!strcmp(k, "RenameStmt") && rt &&
		    (!strcmp(rt, "OBJECT_TYPE") || !strcmp(rt, "OBJECT_DOMAIN"))) {
			const char *nn = mg_node_str(nd, "newname"), *os;
			list_name(mg_node_get(mg_node_get(mg_node_get(nd, "object"), "List"),
					      "items"), &os);
			if (nn && !strcmp(nn, name) && !strcmp(sch(os), sch(schema)))
				return true;
		}
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
	const char *newname = mg_node_str(st->node, "newname");
	const cJSON *items = mg_node_get(mg_node_get(mg_node_get(st->node, "object"),
						     "List"), "items");
	const char *schema, *name = list_name(items, &schema);
	const struct mg_cat_type *ty;
	const char *text = mg_lint_text(ctx), *what;
	char shown[2 * NAMELEN + 2];
	size_t n, off = st->stmt->off, len = 0;
	const struct mg_token *t;

	if (!rt || (strcmp(rt, "OBJECT_TYPE") && strcmp(rt, "OBJECT_DOMAIN")) ||
	    !name || !newname)
		return;
	ty = mg_cat_type(mg_lint_catalog(ctx), schema, name);
	if (ty && mg_lint_gen_origin(ctx, ty->gen) == MG_ORIGIN_NEW)
		return;
	if (redefined_later(ctx, st->index, schema, name))
		return;
	t = mg_lint_tokens(ctx, st, &n);
	if (n > 2) { /* ALTER TYPE|DOMAIN name */
		off = t[2].off;
		len = t[2].end - t[2].off;
		if (n > 4 && text[t[3].off] == '.')
			len = t[4].end - t[2].off;
	}
	what = !strcmp(rt, "OBJECT_DOMAIN") || (ty && ty->kind == MG_TYPE_DOMAIN) ?
	       "domain" : ty && ty->kind == MG_TYPE_ENUM ? "enum type" :
	       ty && ty->kind == MG_TYPE_COMPOSITE ? "composite type" : "type";
	snprintf(shown, sizeof(shown), "%s%s%s", schema ? schema : "",
		 schema ? "." : "", name);
	mg_lint_report_opt(ctx, &o, off, len,
		       "%s \"%s\" is renamed to \"%s\": casts, function signatures "
		       "and driver type mappings of the running app version that "
		       "name \"%s\" fail%s", what, shown, newname, name, down_note(ctx, &o));
}

const struct mg_rule mg_rule_rename_type = {
	.id = "rename-type",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
