/*
 * column-type-rewrite: ALTER TABLE ... ALTER COLUMN ... TYPE that makes
 * PostgreSQL rewrite the table and rebuild its indexes under ACCESS
 * EXCLUSIVE (docs/rules/column-type-rewrite.md).
 *
 * PostgreSQL skips the rewrite only when the conversion is binary-coercible
 * (typecoerce.h knows which built-in changes are) and any USING expression
 * is the column itself, possibly cast to the new type. So:
 *  - a USING expression that computes something (not just casts of the
 *    column, which are judged by the old and new types): a rewrite;
 *  - old type known from the replayed history: judged by mg_type_coerce;
 *    a change between an enum and anything else is always a rewrite; a
 *    binary-coercible change between citext and text/varchar still
 *    rebuilds the column's indexes (different operator classes);
 *  - old type unknown: when no other type converts to the new one without
 *    a rewrite (bigint, integer, uuid, jsonb, ...) the change rewrites the
 *    table whatever the old type was; otherwise (text, varchar, numeric,
 *    timestamptz, user types, ...) it may not: reported as a warning that
 *    says the old type is unknown.
 * Quiet for tables and columns created earlier in the same script, for
 * temporary tables and for foreign tables (no local data).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/catalog.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

#define NAMELEN 64

/* A new type some other type reaches without a rewrite. */
static bool has_binary_sources(const struct mg_type *t)
{
	static const char *const names[] = {
		"text", "varchar", "citext", "numeric", "varbit", "inet",
		"timestamp", "timestamptz", "time", "timetz", "interval", NULL
	};

	if (!mg_type_is_builtin(t))
		return true; /* a domain over the old type, say */
	for (size_t i = 0; names[i]; i++)
		if (!strcmp(t->name, names[i]))
			return true;
	return false;
}

/* USING is the column itself, possibly cast (to the new type, or through
 * other types: col::text::new_enum). Anything else computes new values. */
static bool casts_only(const cJSON *expr, const char *col)
{
	const cJSON *n = expr;
	const char *kind;

	if (!expr)
		return true;
	for (int depth = 0; depth < 8; depth++) {
		const cJSON *inner = mg_node_unwrap(n, &kind);
		if (!kind)
			return false;
		if (!strcmp(kind, "TypeCast")) {
			n = mg_node_get(inner, "arg");
			continue;
		}
		if (!strcmp(kind, "ColumnRef")) {
			const char *last = mg_lint_list_last(mg_node_get(inner, "fields"));
			return last && !strcmp(last, col);
		}
		return false;
	}
	return false;
}

/* Was the session TimeZone set to UTC earlier in this script? PostgreSQL
 * 12+ then converts between timestamp and timestamptz without a rewrite. */
static bool session_utc(struct mg_lint_ctx *ctx, size_t upto)
{
	static const char *const utc[] = {
		"utc", "etc/utc", "gmt", "etc/gmt", "uct", "etc/uct", "universal",
		"etc/universal", "zulu", "etc/zulu", "gmt0", "etc/gmt0", "gmt+0",
		"gmt-0", "etc/gmt+0", "etc/gmt-0", "greenwich", "etc/greenwich", NULL
	};
	bool on = false;

	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *name, *kind;
		const cJSON *arg, *v;
		if (!s || !s->kind || strcmp(s->kind, "VariableSetStmt"))
			continue;
		name = mg_node_str(s->node, "name");
		kind = mg_node_str(s->node, "kind");
		if (kind && !strcmp(kind, "VAR_RESET_ALL")) {
			on = false;
			continue;
		}
		if (!name || strcasecmp(name, "timezone"))
			continue;
		on = false;
		if (!kind || strcmp(kind, "VAR_SET_VALUE"))
			continue;
		arg = mg_node_get(mg_lint_at(mg_node_get(s->node, "args"), 0), "A_Const");
		if ((v = mg_node_get(arg, "ival")) && !mg_node_get(v, "ival"))
			on = true; /* SET TIME ZONE 0 */
		if ((v = mg_node_get(arg, "sval")) && mg_node_str(v, "sval"))
			for (size_t k = 0; utc[k]; k++)
				if (!strcasecmp(mg_node_str(v, "sval"), utc[k]))
					on = true;
	}
	return on;
}

/* Is t an enum the catalog knows? */
static bool is_enum(struct mg_lint_ctx *ctx, const struct mg_type *t)
{
	const struct mg_cat_type *ct;

	if (mg_type_is_builtin(t) || t->array_dims)
		return false;
	ct = mg_cat_type(mg_lint_catalog(ctx), t->schema, t->name);
	return ct && ct->kind == MG_TYPE_ENUM;
}

static bool indexed(struct mg_lint_ctx *ctx, const struct mg_cat_table *t,
		    const char *col)
{
	size_t pos = 0;
	const struct mg_cat_index *x;

	while ((x = mg_cat_table_index_next(mg_lint_catalog(ctx), t, &pos)))
		for (size_t i = 0; i < x->ncolumns; i++)
			if (!strcmp(x->columns[i], col) || !x->columns[i][0])
				return true;
	return false;
}

static void one(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		const struct mg_cat_table *t, const char *shown, const cJSON *cmd,
		size_t i)
{
	const char *col = mg_node_str(cmd, "name");
	const cJSON *def = mg_node_get(mg_node_get(cmd, "def"), "ColumnDef");
	const cJSON *using_ = mg_node_get(def, "raw_default");
	const struct mg_cat_column *c = mg_cat_column(t, col);
	struct mg_type from, to, unlimited;
	char tos[128], froms[128];
	const char *why = "";
	enum mg_coerce co;
	struct mg_report_opt o = { 0 };
	size_t off, end;

	if (!col || !mg_type_from_node(mg_node_get(def, "typeName"), &to))
		return;
	if (mg_lint_column_origin(ctx, t, c) == MG_ORIGIN_NEW)
		return;
	mg_lint_cmd_span(ctx, st, i, &off, &end);
	mg_type_format(&to, tos, sizeof(tos));
	if (!casts_only(using_, col)) {
		mg_lint_report(ctx, off, end - off,
			       "changing column \"%s\" of \"%s\" to %s with a USING "
			       "expression rewrites the table and all its indexes: the "
			       "expression is computed for every row", col, shown, tos);
		return;
	}
	if (!c || !c->type.name[0]) {
		if ((!strcmp(to.name, "timestamptz") || !strcmp(to.name, "timestamp")) &&
		    !to.array_dims && mg_lint_pg_version(ctx) >= 12 &&
		    session_utc(ctx, st->index))
			return; /* the usual timestamp <-> timestamptz switch in UTC */
		if (has_binary_sources(&to)) {
			o.severity = MG_SEV_WARNING;
			mg_lint_report_opt(ctx, &o, off, end - off,
					   "changing column \"%s\" of \"%s\" to %s may rewrite "
					   "the table and all its indexes: its current type "
					   "is not known from earlier migrations, and only a "
					   "binary-coercible change skips the rewrite",
					   col, shown, tos);
		} else {
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" to %s rewrites the "
				       "table and all its indexes: no other type converts "
				       "to %s without a rewrite (its current type is not "
				       "known from earlier migrations)", col, shown, tos, tos);
		}
		return;
	}
	from = c->type;
	from.serial = false; /* serial is integer with a default */
	mg_type_format(&from, froms, sizeof(froms));
	co = mg_type_coerce(&c->type, &to, mg_lint_pg_version(ctx), &why);
	if (co == MG_COERCE_UNKNOWN && !mg_type_equal(&c->type, &to) &&
	    (is_enum(ctx, &c->type) || is_enum(ctx, &to))) {
		co = MG_COERCE_REWRITE;
	}
	switch (co) {
	case MG_COERCE_SAME:
		return;
	case MG_COERCE_BINARY:
		if ((!strcmp(c->type.name, "citext")) != (!strcmp(to.name, "citext")) &&
		    indexed(ctx, t, col))
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" from %s to %s "
				       "does not rewrite the table, but rebuilds its "
				       "indexes on \"%s\" under ACCESS EXCLUSIVE: citext "
				       "and text use different operator classes",
				       col, shown, froms, tos, col);
		return;
	case MG_COERCE_DEPENDS:
		if (session_utc(ctx, st->index))
			return; /* SET TimeZone = 'UTC' earlier: catalog-only */
		mg_lint_report(ctx, off, end - off,
			       "changing column \"%s\" of \"%s\" from %s to %s rewrites "
			       "the table and all its indexes, unless the migration "
			       "runs with TimeZone = 'UTC' (then PostgreSQL 12+ skips "
			       "the rewrite)", col, shown, froms, tos);
		return;
	case MG_COERCE_REWRITE:
		unlimited = to;
		unlimited.nmods = 0;
		co = mg_type_coerce(&c->type, &unlimited, mg_lint_pg_version(ctx), NULL);
		if (!strcmp(c->type.name, "numeric") && !strcmp(to.name, "numeric") &&
		    c->type.nmods == 2 && to.nmods == 2 && c->type.mods[1] != to.mods[1])
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" from %s to %s "
				       "rewrites the table and all its indexes: a new "
				       "scale converts every value", col, shown, froms, tos);
		else if (to.nmods && (co == MG_COERCE_SAME || co == MG_COERCE_BINARY))
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" from %s to %s "
				       "rewrites the table and all its indexes: only "
				       "raising or removing a limit is catalog-only; a new "
				       "or lower limit converts and checks every row",
				       col, shown, froms, tos);
		else if (is_enum(ctx, &c->type) || is_enum(ctx, &to))
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" from %s to %s "
				       "rewrites the table and all its indexes: an enum "
				       "converts to and from other types row by row",
				       col, shown, froms, tos);
		else
			mg_lint_report(ctx, off, end - off,
				       "changing column \"%s\" of \"%s\" from %s to %s "
				       "rewrites the table and all its indexes: %s is not "
				       "binary-coercible to %s, so every row is converted",
				       col, shown, froms, tos, froms, tos);
		return;
	case MG_COERCE_UNKNOWN:
	default:
		o.severity = MG_SEV_WARNING;
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "changing column \"%s\" of \"%s\" from %s to %s may "
				   "rewrite the table and all its indexes: %s", col, shown,
				   froms, tos, why);
		return;
	}
}

/* Token level: CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name. */
static bool tokens_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s,
			  const char *schema, const char *name)
{
	size_t n, i = 1;
	const struct mg_token *t = mg_lint_tokens(ctx, s, &n);
	const char *text = mg_lint_text(ctx);
	char a[64] = "", b[64] = "";

	if (!mg_lint_tok_match(ctx, s, 0, "CREATE", NULL))
		return false;
	while (i < n && (mg_lint_tok_match(ctx, s, i, "TEMP", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "TEMPORARY", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "UNLOGGED", NULL)))
		i++;
	if (!mg_lint_tok_match(ctx, s, i, "TABLE", NULL))
		return false;
	i++;
	if (mg_lint_tok_match(ctx, s, i, "IF", "NOT", "EXISTS", NULL))
		i += 3;
	if (i >= n)
		return false;
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], a, sizeof(a));
		mg_lint_tok_ident(ctx, &t[i + 2], b, sizeof(b));
	} else {
		mg_lint_tok_ident(ctx, &t[i], b, sizeof(b));
	}
	return !strcmp(b, name) &&
	       !strcmp(a[0] ? a : "public", schema && schema[0] ? schema : "public");
}

/* Created earlier in this script by a CREATE TABLE the grammar could not
 * parse (newer PostgreSQL syntax, SQLite's AUTOINCREMENT): the catalog
 * does not know it, but it is just as new. */
static bool created_unparsed(struct mg_lint_ctx *ctx, size_t upto,
			     const char *schema, const char *name)
{
	for (size_t j = 0; j < upto && name; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		if (s && !s->kind && tokens_create(ctx, s, schema, name))
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t = mg_lint_table(ctx, rel);
	char shown[2 * NAMELEN + 2];
	size_t i = 0;
	const cJSON *it;

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if ((!t || t->stub) && created_unparsed(ctx, st->index, mg_node_str(rel, "schemaname"),
				   mg_node_str(rel, "relname")))
		return;
	if (t && (t->temp || t->kind == MG_REL_FOREIGN))
		return;
	mg_lint_rv_name(rel, shown, sizeof(shown));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		if (sub && !strcmp(sub, "AT_AlterColumnType"))
			one(ctx, st, t, shown, cmd, i);
		i++;
	}
}

const struct mg_rule mg_rule_column_type_rewrite = {
	.id = "column-type-rewrite",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
