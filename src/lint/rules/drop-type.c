/*
 * drop-type: DROP TYPE / DROP DOMAIN of a type that exists before the
 * migration (docs/rules/drop-type.md).
 *
 * Quiet when:
 *  - the type was created earlier in the same script;
 *  - the name is defined again later in the same script (CREATE TYPE,
 *    CREATE DOMAIN, or ALTER TYPE other RENAME TO name): the type is being
 *    recreated, and what the recreation loses is enum-value-removed's job;
 *  - the type got its name from a rename earlier in this script and its
 *    original name was created again since (ALTER TYPE t RENAME TO t_old;
 *    CREATE TYPE t ...; ... DROP TYPE t_old): the old copy is unused by
 *    name, since nobody knew it as t_old.
 * In a downgrade, dropping a type the matching upgrade created is an info.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

#define NAMELEN 64

static const char *sch(const char *s)
{
	return s && s[0] ? s : "public";
}

/* schema and name of a name list (["s", "t"] or ["t"]). */
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

/* The name list of the type a statement creates, or NULL. */
static const cJSON *creates_type(const struct mg_lint_stmt *s, const char **schema_rv,
				 const char **name_rv)
{
	const char *k = s ? s->kind : NULL;
	const cJSON *nd = s ? s->node : NULL;

	*name_rv = NULL;
	if (!k)
		return NULL;
	if (!strcmp(k, "CreateEnumStmt") || !strcmp(k, "CreateRangeStmt"))
		return mg_node_get(nd, "typeName");
	if (!strcmp(k, "CreateDomainStmt"))
		return mg_node_get(nd, "domainname");
	if (!strcmp(k, "DefineStmt")) {
		const char *kind = mg_node_str(nd, "kind");
		return kind && !strcmp(kind, "OBJECT_TYPE") ? mg_node_get(nd, "defnames") : NULL;
	}
	if (!strcmp(k, "CompositeTypeStmt")) {
		const cJSON *rv = mg_node_get(nd, "typevar");
		*schema_rv = mg_node_str(rv, "schemaname");
		*name_rv = mg_node_str(rv, "relname");
	}
	return NULL;
}

/* ALTER TYPE/DOMAIN x RENAME TO y: the old name list and *newname. */
static const cJSON *renames_type(const struct mg_lint_stmt *s, const char **newname)
{
	const char *rt;

	if (!s || !s->kind || strcmp(s->kind, "RenameStmt"))
		return NULL;
	rt = mg_node_str(s->node, "renameType");
	if (!rt || (strcmp(rt, "OBJECT_TYPE") && strcmp(rt, "OBJECT_DOMAIN")))
		return NULL;
	*newname = mg_node_str(s->node, "newname");
	return mg_node_get(mg_node_get(mg_node_get(s->node, "object"), "List"), "items");
}

static bool replaced_later(struct mg_lint_ctx *ctx, size_t from,
			   const char *schema, const char *name)
{
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *rs = NULL, *rn = NULL, *nn = NULL;
		const cJSON *l = creates_type(s, &rs, &rn);
		if (l ? list_is(l, schema, name) :
		    rn && !strcmp(rn, name) && !strcmp(sch(rs), sch(schema)))
			return true;
		l = renames_type(s, &nn);
		if (l && nn && !strcmp(nn, name)) {
			const char *os;
			list_name(l, &os);
			if (!strcmp(sch(os), sch(schema)))
				return true;
		}
	}
	return false;
}

static bool swapped_in_script(struct mg_lint_ctx *ctx, size_t upto,
			      const char *schema, const char *name)
{
	for (size_t j = 0; j < upto; j++) {
		const char *nn = NULL, *os, *on;
		const cJSON *l = renames_type(mg_lint_stmt_at(ctx, j), &nn);
		const struct mg_cat_type *orig;
		if (!l || !nn || strcmp(nn, name))
			continue;
		on = list_name(l, &os);
		if (!on || strcmp(sch(os), sch(schema)))
			continue;
		orig = mg_cat_type(mg_lint_catalog(ctx), os, on);
		if (orig && mg_lint_gen_origin(ctx, orig->gen) == MG_ORIGIN_NEW)
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const char *beh = mg_node_str(st->node, "behavior");
	bool cascade = beh && !strcmp(beh, "DROP_CASCADE");
	bool domain;
	const cJSON *it;

	if (!rt || (strcmp(rt, "OBJECT_TYPE") && strcmp(rt, "OBJECT_DOMAIN")))
		return;
	domain = !strcmp(rt, "OBJECT_DOMAIN");
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *tn = mg_node_get(it, "TypeName");
		const char *schema, *name = list_name(mg_node_get(tn, "names"), &schema);
		const struct mg_cat_type *ty;
		enum mg_origin origin;
		struct mg_report_opt o = { 0 };
		char shown[2 * NAMELEN + 2];
		const char *what;

		if (!name)
			continue;
		ty = mg_cat_type(mg_lint_catalog(ctx), schema, name);
		origin = ty ? mg_lint_gen_origin(ctx, ty->gen) : MG_ORIGIN_UNKNOWN;
		if (origin == MG_ORIGIN_NEW)
			continue;
		if (replaced_later(ctx, st->index, schema, name) ||
		    swapped_in_script(ctx, st->index, schema, name))
			continue;
		what = domain || (ty && ty->kind == MG_TYPE_DOMAIN) ? "domain" :
		       ty && ty->kind == MG_TYPE_ENUM ? "enum type" :
		       ty && ty->kind == MG_TYPE_COMPOSITE ? "composite type" : "type";
		snprintf(shown, sizeof(shown), "%s%s%s", schema ? schema : "",
			 schema ? "." : "", name);
		o.dropped = origin;
		o.no_lock = true;
		if (origin == MG_ORIGIN_UPGRADE)
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, tn), 0,
					   "%s \"%s\" is dropped", what, shown);
		else if (cascade)
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, tn), 0,
					   "%s \"%s\" is dropped with CASCADE: every column of "
					   "this type is dropped with it, data included, and "
					   "the running app version may still use them",
					   what, shown);
		else
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, tn), 0,
					   "%s \"%s\" is dropped while the running app version "
					   "may still cast to it or map it by name", what, shown);
	}
}

const struct mg_rule mg_rule_drop_type = {
	.id = "drop-type",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
