/*
 * rename-table: ALTER TABLE ... RENAME TO of a table that exists before
 * the migration (docs/rules/rename-table.md). PostgreSQL and SQLite.
 *
 * Quiet when:
 *  - the table was created earlier in the same script (the second half of
 *    a rebuild: ALTER TABLE users_new RENAME TO users), or is temporary;
 *  - the catalog knows the relation is not a table: views and materialized
 *    views are rename-view's, sequences and indexes are not app-facing;
 *  - the old name is defined again later in the same script, so clients
 *    keep finding it: a view over the renamed table (the compatibility
 *    shim), or a new table (a rebuild or swap). When the columns of both
 *    tables are known, a replacement that lacks some of the old columns
 *    is reported, naming them.
 * Statements the grammar cannot parse are read from their tokens:
 * ALTER TABLE [IF EXISTS] [ONLY] name RENAME TO new.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "RenameStmt", NULL };

#define NAMELEN 64
#define MAXCOLS 256

struct cols {
	char names[MAXCOLS][NAMELEN];
	size_t n;
	bool known;
};

struct scratch {
	struct cols old, repl;
};

static void create_cols(const cJSON *create, struct cols *c)
{
	const cJSON *it;

	c->n = 0;
	c->known = !mg_lint_len(mg_node_get(create, "inhRelations")) &&
		   !mg_node_get(create, "partbound") &&
		   !mg_node_get(create, "ofTypename");
	cJSON_ArrayForEach(it, mg_node_get(create, "tableElts")) {
		const char *name = mg_node_str(mg_node_get(it, "ColumnDef"), "colname");
		if (mg_node_get(it, "TableLikeClause"))
			c->known = false;
		if (name && c->n < MAXCOLS)
			snprintf(c->names[c->n++], NAMELEN, "%s", name);
	}
	if (!c->n)
		c->known = false;
}

static void table_cols(const struct mg_cat_table *t, struct cols *c)
{
	c->n = 0;
	c->known = t && !t->stub && t->ncols > 0 && t->kind == MG_REL_TABLE;
	for (size_t i = 0; t && i < t->ncols && c->n < MAXCOLS; i++)
		snprintf(c->names[c->n++], NAMELEN, "%s", t->cols[i].name);
}

/* Token level: CREATE [TEMP|UNLOGGED] TABLE|VIEW [IF NOT EXISTS] name. */
static bool tokens_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s,
			  const char *schema, const char *name)
{
	size_t n, i = 1;
	const struct mg_token *t = mg_lint_tokens(ctx, s, &n);
	const char *text = mg_lint_text(ctx);
	char a[NAMELEN] = "", b[NAMELEN] = "";

	if (!mg_lint_tok_match(ctx, s, 0, "CREATE", NULL))
		return false;
	if (mg_lint_tok_match(ctx, s, i, "OR", "REPLACE", NULL))
		i += 2;
	while (i < n && (mg_lint_tok_match(ctx, s, i, "TEMP", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "TEMPORARY", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "UNLOGGED", NULL)))
		i++;
	if (!mg_lint_tok_match(ctx, s, i, "TABLE", NULL) &&
	    !mg_lint_tok_match(ctx, s, i, "VIEW", NULL))
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
	return mg_rel_same(a, b, schema, name);
}

/* Created earlier in this script by a CREATE TABLE the grammar could not
 * parse (SQLite's AUTOINCREMENT, newer PostgreSQL syntax): the catalog
 * does not know it, but it is just as new. */
static bool created_unparsed(struct mg_lint_ctx *ctx, size_t upto,
			     const char *schema, const char *name)
{
	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		if (s && !s->kind && tokens_create(ctx, s, schema, name))
			return true;
	}
	return false;
}

/* Is schema.name defined again after statement `from`? *c gets the new
 * table's columns when they can be known. */
static bool replaced_later(struct mg_lint_ctx *ctx, size_t from,
			   const char *schema, const char *name, struct cols *c)
{
	c->known = false;
	c->n = 0;
	for (size_t j = from + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *k = s ? s->kind : NULL;
		const cJSON *nd = s ? s->node : NULL;
		if (!s)
			continue;
		if (!k) {
			if (tokens_create(ctx, s, schema, name))
				return true;
			continue;
		}
		if (!strcmp(k, "CreateStmt") &&
		    mg_rv_is(mg_node_get(nd, "relation"), schema, name)) {
			create_cols(nd, c);
			return true;
		}
		if ((!strcmp(k, "CreateTableAsStmt") &&
		     mg_rv_is(mg_node_get(mg_node_get(nd, "into"), "rel"), schema, name)) ||
		    (!strcmp(k, "ViewStmt") &&
		     mg_rv_is(mg_node_get(nd, "view"), schema, name)))
			return true;
		if (!strcmp(k, "RenameStmt") && !mg_node_str(nd, "subname") &&
		    mg_node_get(nd, "relation")) {
			const cJSON *rv = mg_node_get(nd, "relation");
			const char *rs = mg_node_str(rv, "schemaname");
			const char *rn = mg_node_str(rv, "relname");
			if (!mg_rel_same(rs, mg_node_str(nd, "newname"), schema, name))
				continue;
			table_cols(mg_lint_table_named(ctx, rs, rn), c);
			for (size_t m = from + 1; !c->known && m < j; m++) {
				const struct mg_lint_stmt *s2 = mg_lint_stmt_at(ctx, m);
				if (s2 && s2->kind && !strcmp(s2->kind, "CreateStmt") &&
				    mg_rv_is(mg_node_get(s2->node, "relation"), rs, rn))
					create_cols(s2->node, c);
			}
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

static void report(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		   const char *schema, const char *name, const char *newname,
		   size_t off, size_t len)
{
	struct mg_report_opt o = { 0 };
	const struct mg_cat_table *t = mg_lint_table_named(ctx, schema, name);
	struct scratch *sc;
	char shown[2 * NAMELEN + 2];

	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW ||
	    ((!t || t->stub) && created_unparsed(ctx, st->index, schema, name)))
		return;
	if (t && (t->temp || (t->kind != MG_REL_TABLE && t->kind != MG_REL_FOREIGN)))
		return;
	if (!t && mg_cat_index(mg_lint_catalog(ctx), schema, name))
		return; /* ALTER TABLE idx RENAME TO ...: an index */
	snprintf(shown, sizeof(shown), "%s%s%s", schema && schema[0] ? schema : "",
		 schema && schema[0] ? "." : "", name);
	sc = mg_lint_state(ctx, sizeof(*sc));
	if (replaced_later(ctx, st->index, schema, name, &sc->repl)) {
		char missing[512] = "";
		size_t nmiss = 0, used = 0;
		table_cols(t, &sc->old);
		if (!sc->old.known || !sc->repl.known)
			return;
		for (size_t i = 0; i < sc->old.n; i++) {
			bool found = false;
			for (size_t k = 0; k < sc->repl.n && !found; k++)
				found = !strcmp(sc->old.names[i], sc->repl.names[k]);
			if (found)
				continue;
			nmiss++;
			if (used + strlen(sc->old.names[i]) + 8 < sizeof(missing))
				used += (size_t)snprintf(missing + used, sizeof(missing) - used,
							 "%s\"%s\"", nmiss > 1 ? ", " : "",
							 sc->old.names[i]);
		}
		if (nmiss) {
			struct mg_report_opt ho = { 0 };
			ho.help = "Keep every column in the new table; drop a column in "
				 "a later migration, once no running app version uses "
				 "it (see drop-column).";
			mg_lint_report_opt(ctx, &ho, off, len,
				       "table \"%s\" is renamed to \"%s\" and replaced by "
				       "a new \"%s\" without %s %s: the running app version "
				       "may still read or write %s", shown, newname, name,
				       nmiss > 1 ? "columns" : "column", missing,
				       nmiss > 1 ? "them" : "it");
		}
		return;
	}
	mg_lint_report_opt(ctx, &o, off, len,
		       "table \"%s\" is renamed to \"%s\" while the running app "
		       "version still uses the old name: its queries fail%s", shown,
		       newname, down_note(ctx, &o));
}

/* Span of a (possibly qualified) relation name starting at token i. */
static void name_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t i, size_t *off, size_t *len)
{
	size_t n;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);

	if (i >= n)
		return;
	*off = t[i].off;
	*len = t[i].end - t[i].off;
	if (i + 2 < n && text[t[i + 1].off] == '.' && t[i + 1].end - t[i + 1].off == 1)
		*len = t[i + 2].end - t[i].off;
}

/* Token index of the relation name after ALTER TABLE [IF EXISTS] [ONLY]. */
static size_t rel_index(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t i = 2;

	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
		i++;
	return i;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "renameType");
	const cJSON *rv = mg_node_get(st->node, "relation");
	const char *newname = mg_node_str(st->node, "newname");
	size_t off = mg_lint_node_off(st, rv), len = 0;

	if (!rt || (strcmp(rt, "OBJECT_TABLE") && strcmp(rt, "OBJECT_FOREIGN_TABLE")))
		return;
	if (!rv || !newname || !mg_node_str(rv, "relname"))
		return;
	if (mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		name_tokens(ctx, st, rel_index(ctx, st), &off, &len);
	report(ctx, st, mg_node_str(rv, "schemaname"), mg_node_str(rv, "relname"),
	       newname, off, len);
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, k, off = 0, len = 0;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[NAMELEN] = "", name[NAMELEN], newname[NAMELEN];

	if (!mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		return;
	i = rel_index(ctx, st);
	if (i >= n)
		return;
	k = i + 1;
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], schema, sizeof(schema));
		mg_lint_tok_ident(ctx, &t[i + 2], name, sizeof(name));
		k = i + 3;
	} else {
		mg_lint_tok_ident(ctx, &t[i], name, sizeof(name));
	}
	if (!mg_lint_tok_match(ctx, st, k, "RENAME", "TO", "*", NULL))
		return;
	mg_lint_tok_ident(ctx, &t[k + 2], newname, sizeof(newname));
	name_tokens(ctx, st, i, &off, &len);
	report(ctx, st, schema, name, newname, off, len);
}

const struct mg_rule mg_rule_rename_table = {
	.id = "rename-table",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES | MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
