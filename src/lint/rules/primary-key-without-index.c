/*
 * primary-key-without-index: ALTER TABLE ... ADD PRIMARY KEY (...) without
 * USING INDEX on a table that already exists, and ADD COLUMN ... PRIMARY
 * KEY there.
 *
 * PostgreSQL builds the primary key's unique index inside the ALTER TABLE
 * while holding ACCESS EXCLUSIVE on the table (no reads or writes for the
 * whole build), and makes nullable key columns NOT NULL, which scans the
 * table too. The online form: CREATE UNIQUE INDEX CONCURRENTLY, then
 * ADD PRIMARY KEY USING INDEX.
 *
 * USING INDEX is reported as well when the catalog knows a key column is
 * still nullable: PostgreSQL then sets it NOT NULL inside the statement
 * and scans the whole table under ACCESS EXCLUSIVE (checked on 15), unless
 * (12+) a validated CHECK (col IS NOT NULL) proves it.
 *
 * Not reported: tables created earlier in the same script.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static void keys_text(const cJSON *con, char *buf, size_t size)
{
	const cJSON *it;
	size_t n = 0;

	buf[0] = '\0';
	cJSON_ArrayForEach(it, mg_node_get(con, "keys")) {
		const char *s = mg_lint_strval(it);
		if (s && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "", s);
	}
}

/* ADD PRIMARY KEY USING INDEX idx: the first key column of idx that the
 * catalog knows (from its definition) to be nullable, with no validated
 * CHECK (col IS NOT NULL) that PostgreSQL 12+ would use. */
static bool set_not_null_before(const cJSON *stmt, const cJSON *upto, const char *col)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, mg_node_get(stmt, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *nm = mg_node_str(cmd, "name");
		if (cmd == upto)
			break;
		if (sub && nm && !strcmp(sub, "AT_SetNotNull") && !strcmp(nm, col))
			return true;
	}
	return false;
}

static const char *nullable_key(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
				const cJSON *cmd, const struct mg_cat_table *t,
				const char *idx)
{
	const struct mg_cat_index *x;

	if (!t || !idx)
		return NULL;
	x = mg_cat_index(mg_lint_catalog(ctx), t->schema, idx);
	if (!x || strcmp(x->table, t->name))
		return NULL;
	for (size_t i = 0; i < x->ncolumns; i++) {
		const struct mg_cat_column *c = mg_cat_column(t, x->columns[i]);
		if (!c || c->not_null || c->gen == 0 || c->identity || c->type.serial)
			continue; /* unknown, or known NOT NULL */
		if (mg_lint_pg_version(ctx) >= 12 && mg_cat_notnull_check(t, c->name))
			continue;
		if (set_not_null_before(st->node, cmd, c->name))
			continue; /* set-not-null reports that one */
		return c->name;
	}
	return NULL;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160], keys[160], help[400];
	struct mg_report_opt o = { 0 };

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *def = mg_node_get(cmd, "def");
		const cJSON *con, *c;
		const char *ct, *idx, *col;

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			col = mg_node_str(cd, "colname");
			if (!col || (t && mg_node_bool(cmd, "missing_ok") &&
				     mg_cat_column(t, col)))
				continue;
			cJSON_ArrayForEach(c, mg_node_get(cd, "constraints")) {
				con = mg_node_get(c, "Constraint");
				ct = mg_node_str(con, "contype");
				if (ct && !strcmp(ct, "CONSTR_PRIMARY"))
					mg_lint_report_node(ctx, st, con,
							    "adding column \"%s\" as PRIMARY KEY of "
							    "existing table \"%s\" builds the key's "
							    "index over every row while the table is "
							    "locked", col, table);
			}
			continue;
		}
		if (strcmp(sub, "AT_AddConstraint"))
			continue;
		con = mg_node_get(def, "Constraint");
		ct = mg_node_str(con, "contype");
		if (!ct || strcmp(ct, "CONSTR_PRIMARY"))
			continue;
		idx = mg_node_str(con, "indexname");
		if (idx) {
			col = nullable_key(ctx, st, cmd, t, idx);
			if (col && mg_lint_pg_version(ctx) >= 12)
				snprintf(help, sizeof(help),
					 "In earlier migrations, add CHECK (%s IS NOT NULL) NOT "
					 "VALID and VALIDATE it in a separate step: PostgreSQL "
					 "12+ then makes \"%s\" NOT NULL here without a scan.",
					 col, col);
			else if (col)
				snprintf(help, sizeof(help),
					 "Before PostgreSQL 12 the scan that makes \"%s\" NOT NULL "
					 "cannot be avoided: run it in a maintenance window, or "
					 "keep a validated CHECK (%s IS NOT NULL) and a unique "
					 "index instead of a primary key.", col, col);
			o.help = help;
			if (col)
				mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
						    "ADD PRIMARY KEY USING INDEX \"%s\" makes nullable "
						    "column \"%s\" of existing table \"%s\" NOT NULL, "
						    "which scans every row while the table is locked",
						    idx, col, table);
			continue;
		}
		keys_text(con, keys, sizeof(keys));
		mg_lint_report_node(ctx, st, con,
				    "adding PRIMARY KEY (%s) to existing table \"%s\" builds "
				    "its unique index over every row while the table is locked",
				    keys, table);
	}
}

/* ---- statements the PostgreSQL 15 grammar cannot parse ----------------
 * (PostgreSQL 16+ syntax such as WITHOUT OVERLAPS): the same check on the
 * tokens of each ALTER TABLE subcommand. */

static bool tok_char(const char *text, const struct mg_token *t, char c)
{
	return t->end == t->off + 1 && text[t->off] == c;
}

static const char overlaps_help[] =
	"There is no online form for a WITHOUT OVERLAPS key: add it in a "
	"maintenance window, or create a new table that has it and move the "
	"data over in batches (see exclusion-constraint).";

/* WITHOUT OVERLAPS (PostgreSQL 18 temporal keys) among tokens [k, end). */
static bool without_overlaps(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			     size_t k, size_t end)
{
	for (; k + 1 < end; k++)
		if (mg_lint_tok_match(ctx, st, k, "WITHOUT", "OVERLAPS", NULL))
			return true;
	return false;
}

/* USING INDEX name (not USING INDEX TABLESPACE) among tokens [k, end). */
static bool using_index(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t k, size_t end)
{
	for (; k + 2 < end; k++)
		if (mg_lint_tok_match(ctx, st, k, "USING", "INDEX", NULL) &&
		    !mg_lint_tok_match(ctx, st, k + 2, "TABLESPACE", NULL))
			return true;
	return false;
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, start;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[64] = "", name[64], table[140];
	const struct mg_cat_table *tab;
	int depth = 0;

	if (!t || !mg_lint_alter_table_name(ctx, st, &i, schema, sizeof(schema), name,
					     sizeof(name)))
		return;
	tab = mg_lint_table_named(ctx, schema, name);
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW)
		return;
	snprintf(table, sizeof(table), "%s%s%s", schema, schema[0] ? "." : "", name);
	for (start = ++i; i <= n; i++) {
		bool stop = i == n || tok_char(text, &t[i], ';');
		size_t k = start, at;
		char label[80] = "";
		struct mg_report_opt o = { 0 };
		if (!stop) {
			if (tok_char(text, &t[i], '('))
				depth++;
			else if (tok_char(text, &t[i], ')'))
				depth--;
			if (depth || !tok_char(text, &t[i], ','))
				continue;
		}
		start = i + 1;
		/* ADD [CONSTRAINT name] KEYWORD ... (no USING INDEX) */
		if (k < i && mg_lint_tok_match(ctx, st, k, "ADD", NULL)) {
			at = ++k;
			if (mg_lint_tok_match(ctx, st, k, "CONSTRAINT", NULL) && k + 1 < i) {
				char nm[64];
				mg_lint_tok_ident(ctx, &t[k + 1], nm, sizeof(nm));
				snprintf(label, sizeof(label), " \"%s\"", nm);
				k += 2;
			}
			if (k < i && mg_lint_tok_match(ctx, st, k, "PRIMARY", "KEY", NULL) &&
			    !using_index(ctx, st, k, i)) {
				if (without_overlaps(ctx, st, k, i)) {
					o.help = overlaps_help;
					mg_lint_report_opt(ctx, &o, t[at].off, t[k + 1].end - t[at].off,
							   "adding PRIMARY KEY%s WITHOUT OVERLAPS to existing "
							   "table \"%s\" builds its GiST index and checks "
							   "every row while the table is locked; such a key "
							   "cannot be built CONCURRENTLY and attached USING "
							   "INDEX, so there is no online way to add it",
							   label, table);
				} else {
					mg_lint_report(ctx, t[at].off, t[k + 1].end - t[at].off,
						       "adding PRIMARY KEY%s to existing table \"%s\" builds "
						       "its unique index over every row while the table is "
						       "locked", label, table);
				}
			}
		}
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_primary_key_without_index = {
	.id = "primary-key-without-index",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
