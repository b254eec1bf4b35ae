/*
 * concurrent-index-if-not-exists: CREATE INDEX CONCURRENTLY IF NOT EXISTS.
 *
 * When CREATE INDEX CONCURRENTLY fails part way (a deadlock, a duplicate
 * for a UNIQUE index, a cancelled statement, a lock_timeout), PostgreSQL
 * leaves the index behind, marked INVALID: it is maintained on every write
 * but never used by queries. Running the migration again with IF NOT
 * EXISTS then sees the name taken, skips the statement with a notice and
 * reports success: the index the migration promised never exists.
 *
 * Quiet when the script guards against it before the CREATE: a
 * DROP INDEX [CONCURRENTLY] IF EXISTS of the same index, or a DO block that
 * checks pg_index.indisvalid. Also quiet when the table was created
 * earlier in the same script by a CREATE TABLE without IF NOT EXISTS (a
 * second run fails at that CREATE TABLE before it reaches the index).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "IndexStmt", NULL };

static bool same_schema(const char *a, const char *b)
{
	return !strcmp(a && a[0] ? a : "public", b && b[0] ? b : "public");
}

/* Statement j drops index schema.name with IF EXISTS. */
static bool drops_if_exists(const struct mg_lint_stmt *s, const char *schema,
			    const char *name)
{
	const char *rt = mg_node_str(s->node, "removeType");
	const cJSON *it;

	if (!s->kind || strcmp(s->kind, "DropStmt") || !rt ||
	    strcmp(rt, "OBJECT_INDEX") || !mg_node_bool(s->node, "missing_ok"))
		return false;
	cJSON_ArrayForEach(it, mg_node_get(s->node, "objects")) {
		const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
		const char *sc = NULL, *nm = NULL;
		const cJSON *x;
		cJSON_ArrayForEach(x, items) {
			sc = nm;
			nm = mg_lint_strval(x);
		}
		if (nm && !strcmp(nm, name) && same_schema(sc, schema))
			return true;
	}
	return false;
}

/* A DO block whose text mentions indisvalid. */
static bool checks_indisvalid(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s)
{
	const char *text = mg_lint_text(ctx);
	size_t n = s->stmt->end - s->stmt->off;

	if (!s->kind || strcmp(s->kind, "DoStmt"))
		return false;
	for (size_t i = 0; i + 10 <= n; i++)
		if (!strncasecmp(text + s->stmt->off + i, "indisvalid", 10))
			return true;
	return false;
}

/* Statement s is a CREATE TABLE of rv without IF NOT EXISTS. */
static bool creates_table(const struct mg_lint_stmt *s, const cJSON *rv)
{
	const cJSON *r;

	if (!s->kind || strcmp(s->kind, "CreateStmt") ||
	    mg_node_bool(s->node, "if_not_exists"))
		return false;
	r = mg_node_get(s->node, "relation");
	return mg_node_str(r, "relname") && mg_node_str(rv, "relname") &&
	       !strcmp(mg_node_str(r, "relname"), mg_node_str(rv, "relname")) &&
	       same_schema(mg_node_str(r, "schemaname"), mg_node_str(rv, "schemaname"));
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *n = st->node;
	const cJSON *rv = mg_node_get(n, "relation");
	const char *idx = mg_node_str(n, "idxname");
	const char *schema = mg_node_str(rv, "schemaname");
	char table[160], help[400];
	size_t off, end;
	struct mg_report_opt o = { 0 };

	if (!mg_node_bool(n, "concurrent") || !mg_node_bool(n, "if_not_exists") || !idx)
		return;
	for (size_t j = 0; j < st->index; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		if (!s || !s->node)
			continue;
		if (drops_if_exists(s, schema, idx) || checks_indisvalid(ctx, s) ||
		    creates_table(s, rv))
			return;
	}
	mg_lint_rv_name(rv, table, sizeof(table));
	if (!mg_lint_word_span(ctx, st, st->stmt->off, "IF", &off, &end)) {
		off = st->stmt->off;
		end = off;
	}
	snprintf(help, sizeof(help),
		 "Guard it in the same no-transaction migration: run DROP INDEX "
		 "CONCURRENTLY IF EXISTS %s%s%s; right before the CREATE (a valid "
		 "index from a finished run is rebuilt, an invalid one is removed), "
		 "or check pg_index.indisvalid for it in a DO block and fail loudly.",
		 schema ? schema : "", schema ? "." : "", idx);
	o.help = help;
	mg_lint_report_opt(ctx, &o, off, end - off,
			   "CREATE %sINDEX CONCURRENTLY IF NOT EXISTS \"%s\" on \"%s\" "
			   "silently keeps an INVALID index \"%s\" left by an earlier "
			   "failed run: the migration succeeds without a usable index",
			   mg_node_bool(n, "unique") ? "UNIQUE " : "", idx, table, idx);
}

const struct mg_rule mg_rule_concurrent_index_if_not_exists = {
	.id = "concurrent-index-if-not-exists",
	.default_severity = MG_SEV_WARNING,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
