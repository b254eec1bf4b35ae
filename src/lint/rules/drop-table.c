/*
 * drop-table: DROP TABLE of a table that exists before the migration
 * (docs/rules/drop-table.md). PostgreSQL and SQLite.
 *
 * Quiet when:
 *  - the table was created earlier in the same script (it is empty and
 *    nobody uses it yet), or it is a temporary table;
 *  - the name is taken over again later in the same script, so clients
 *    keep finding a relation under it: CREATE TABLE / CREATE TABLE AS /
 *    CREATE VIEW with the same name, or ALTER TABLE other RENAME TO name
 *    (the table rebuild SQLite needs for most ALTERs, also used on
 *    PostgreSQL). When both column lists are known, a replacement that
 *    lacks some of the old columns is reported, naming them: the rebuild
 *    dropped (or renamed) those columns;
 *  - the table got its name from a rename earlier in this script and its
 *    original name was created again since (ALTER TABLE t RENAME TO t_old;
 *    CREATE TABLE t ...; DROP TABLE t_old): rename-table judges that swap.
 * In a downgrade, dropping a table the matching upgrade created is
 * reported as info ("expected"). Statements the grammar cannot parse are
 * read from their tokens: DROP TABLE [IF EXISTS] name [, ...].
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/relnames.h"
#include "lint/rule.h"

static const char *const kinds[] = { "DropStmt", NULL };

#define NAMELEN 64
#define MAXCOLS 256

/* A replacement's column names (or none known). */
struct cols {
	char names[MAXCOLS][NAMELEN];
	size_t n;
	bool known;
};

/* Column names of a CREATE TABLE node; unknown with LIKE or inheritance. */
static void create_cols(const cJSON *create, struct cols *c)
{
	const cJSON *it;

	c->n = 0;
	c->known = !mg_lint_len(mg_node_get(create, "inhRelations")) &&
		   !mg_node_get(create, "partbound") &&
		   !mg_node_get(create, "ofTypename");
	cJSON_ArrayForEach(it, mg_node_get(create, "tableElts")) {
		const cJSON *cd = mg_node_get(it, "ColumnDef");
		const char *name = mg_node_str(cd, "colname");
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

/* Token-level: the statement is CREATE [TEMP] TABLE [IF NOT EXISTS] name. */
static bool tokens_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s,
			  const char *schema, const char *name)
{
	size_t n, i = 1;
	const struct mg_token *t = mg_lint_tokens(ctx, s, &n);
	const char *text = mg_lint_text(ctx);
	char a[NAMELEN] = "", b[NAMELEN] = "";

	if (!mg_lint_tok_match(ctx, s, 0, "CREATE", NULL))
		return false;
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

/*
 * Is schema.name taken over again after statement `from`? Fills *c with
 * the replacement's columns when they can be known.
 */
static bool replaced_later(struct mg_lint_ctx *ctx, size_t from,
			   const char *schema, const char *name, struct cols *c)
{
	size_t n = mg_lint_nstmts(ctx);

	c->known = false;
	c->n = 0;
	for (size_t j = from + 1; j < n; j++) {
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
		if (!strcmp(k, "CreateTableAsStmt") &&
		    mg_rv_is(mg_node_get(mg_node_get(nd, "into"), "rel"), schema, name))
			return true;
		if (!strcmp(k, "ViewStmt") &&
		    mg_rv_is(mg_node_get(nd, "view"), schema, name))
			return true;
		if (!strcmp(k, "RenameStmt") &&
		    !mg_node_str(nd, "subname") &&
		    mg_node_get(nd, "relation")) {
			const cJSON *rv = mg_node_get(nd, "relation");
			const char *nn = mg_node_str(nd, "newname");
			const char *rs = mg_node_str(rv, "schemaname");
			const char *rn = mg_node_str(rv, "relname");
			if (!mg_rel_same(rs, nn, schema, name))
				continue;
			/* the columns of the table renamed into place: known now,
			   or created between here and there */
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

/* Did this table get its name from a rename earlier in this script whose
 * original name has been created again since? */
static bool swapped_in_script(struct mg_lint_ctx *ctx, size_t upto,
			      const char *schema, const char *name)
{
	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const cJSON *rv, *nd = s ? s->node : NULL;
		const struct mg_cat_table *orig;
		if (!s || !s->kind || strcmp(s->kind, "RenameStmt") ||
		    mg_node_str(nd, "subname"))
			continue;
		rv = mg_node_get(nd, "relation");
		if (!rv || !mg_rel_same(mg_node_str(rv, "schemaname"),
				 mg_node_str(nd, "newname"), schema, name))
			continue;
		orig = mg_lint_table(ctx, rv);
		if (orig && mg_lint_table_origin(ctx, orig) == MG_ORIGIN_NEW)
			return true;
	}
	return false;
}

static void report(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		   const char *schema, const char *name, bool cascade,
		   size_t off, size_t len)
{
	const struct mg_cat_table *t = mg_lint_table_named(ctx, schema, name);
	enum mg_origin origin = mg_lint_table_origin(ctx, t);
	struct mg_report_opt o = { 0 };
	struct cols *repl, old;
	char shown[2 * NAMELEN + 2];
	struct mg_lock lk;

	if (origin == MG_ORIGIN_NEW)
		return; /* created earlier in this script: empty, unused */
	if ((!t || t->stub) && created_unparsed(ctx, st->index, schema, name))
		return;
	if (t && (t->temp || (t->kind != MG_REL_TABLE && t->kind != MG_REL_FOREIGN)))
		return; /* temp tables die with the session; DROP TABLE on a view fails */
	snprintf(shown, sizeof(shown), "%s%s%s", schema && schema[0] ? schema : "",
		 schema && schema[0] ? "." : "", name);
	if (st && swapped_in_script(ctx, st->index, schema, name))
		return;
	if (st && mg_lint_lock_on(ctx, st, schema, name, &lk))
		o.lock = &lk;
	repl = mg_lint_state(ctx, sizeof(*repl)); /* scratch, too big for the stack */
	if (st && replaced_later(ctx, st->index, schema, name, repl)) {
		char missing[512] = "";
		size_t nmiss = 0, used = 0;
		table_cols(t, &old);
		if (!old.known || !repl->known)
			return;
		for (size_t i = 0; i < old.n; i++) {
			bool found = false;
			for (size_t k = 0; k < repl->n && !found; k++)
				found = !strcmp(old.names[i], repl->names[k]);
			if (found)
				continue;
			nmiss++;
			if (used + strlen(old.names[i]) + 8 < sizeof(missing))
				used += (size_t)snprintf(missing + used, sizeof(missing) - used,
							 "%s\"%s\"", nmiss > 1 ? ", " : "",
							 old.names[i]);
		}
		if (!nmiss)
			return;
		o.dropped = origin;
		o.help = "Keep every column in the rebuilt table; drop a column in a "
			 "later migration, once no running app version uses it "
			 "(see drop-column).";
		mg_lint_report_opt(ctx, &o, off, len,
				   "table \"%s\" is rebuilt without %s %s: the running "
				   "app version may still read or write %s, and the data "
				   "in %s is lost", shown, nmiss > 1 ? "columns" : "column",
				   missing, nmiss > 1 ? "them" : "it",
				   nmiss > 1 ? "them" : "it");
		return;
	}
	o.dropped = origin;
	if (origin == MG_ORIGIN_UPGRADE)
		mg_lint_report_opt(ctx, &o, off, len, "table \"%s\" is dropped", shown);
	else
		mg_lint_report_opt(ctx, &o, off, len,
				   "table \"%s\" is dropped while the running app version "
				   "may still read or write it, and its rows are lost%s",
				   shown, cascade ? "; CASCADE also drops the views and "
				   "foreign keys that depend on it" : "");
}

/*
 * Token span of the idx-th name of a DROP list that starts at token `i`
 * (after DROP TABLE [IF EXISTS]): names are separated by top-level commas.
 */
/* First token of the name list: after DROP [FOREIGN] TABLE [IF EXISTS]. */
static size_t list_start(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t i = 1;

	if (mg_lint_tok_match(ctx, st, i, "FOREIGN", NULL))
		i++;
	i++; /* TABLE */
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	return i;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const char *beh = mg_node_str(st->node, "behavior");
	bool cascade = beh && !strcmp(beh, "DROP_CASCADE");
	size_t idx = 0, start, ntok;
	const struct mg_token *t;
	const cJSON *it;

	if (!rt || (strcmp(rt, "OBJECT_TABLE") && strcmp(rt, "OBJECT_FOREIGN_TABLE")))
		return;
	t = mg_lint_tokens(ctx, st, &ntok);
	start = list_start(ctx, st);
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
		size_t len = mg_lint_len(items), a, b;
		const char *name = mg_lint_list_last(items);
		const char *schema = len >= 2 ? mg_lint_strval(mg_lint_at(items, len - 2)) : NULL;
		size_t off = st->stmt->off, l = 0;
		if (mg_drop_name_span(ctx, st, start, idx, &a, &b) && b < ntok) {
			off = t[a].off;
			l = t[b].end - t[a].off;
		}
		if (name)
			report(ctx, st, schema, name, cascade, off, l);
		idx++;
	}
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, start, a, b;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	bool cascade;

	if (!mg_lint_tok_match(ctx, st, 0, "DROP", "TABLE", NULL) &&
	    !mg_lint_tok_match(ctx, st, 0, "DROP", "FOREIGN", "TABLE", NULL))
		return;
	start = list_start(ctx, st);
	cascade = mg_lint_tok_find(ctx, st, start, "CASCADE") < n;
	for (size_t idx = 0; mg_drop_name_span(ctx, st, start, idx, &a, &b); idx++) {
		char schema[NAMELEN] = "", name[NAMELEN];
		if (b >= a + 2 && text[t[a + 1].off] == '.') {
			mg_lint_tok_ident(ctx, &t[a], schema, sizeof(schema));
			mg_lint_tok_ident(ctx, &t[a + 2], name, sizeof(name));
		} else {
			mg_lint_tok_ident(ctx, &t[a], name, sizeof(name));
		}
		report(ctx, st, schema, name, cascade, t[a].off, t[b].end - t[a].off);
	}
}

const struct mg_rule mg_rule_drop_table = {
	.id = "drop-table",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES | MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
