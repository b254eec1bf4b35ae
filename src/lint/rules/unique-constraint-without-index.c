/*
 * unique-constraint-without-index: ALTER TABLE ... ADD [CONSTRAINT c]
 * UNIQUE (...) without USING INDEX on a table that already exists, and
 * ADD COLUMN ... UNIQUE there.
 *
 * PostgreSQL builds the unique index inside the ALTER TABLE while holding
 * ACCESS EXCLUSIVE on the table: no reads or writes for the whole build.
 * The online form builds the index first with CREATE UNIQUE INDEX
 * CONCURRENTLY and then attaches it with ADD CONSTRAINT ... UNIQUE USING
 * INDEX, which only takes the lock for a moment.
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

static const char partition_help[] =
	"A partitioned table has no USING INDEX form: create the unique index "
	"CONCURRENTLY on each partition and make it that partition's constraint "
	"with ADD CONSTRAINT ... UNIQUE USING INDEX; adding the constraint to "
	"the parent afterwards adopts those indexes instead of building new ones.";

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160], keys[160];
	struct mg_report_opt o = { 0 };

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->partitioned)
		o.help = partition_help;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *def = mg_node_get(cmd, "def");
		const cJSON *con, *c;

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			const char *col = mg_node_str(cd, "colname");
			if (!col || (t && mg_node_bool(cmd, "missing_ok") &&
				     mg_cat_column(t, col)))
				continue;
			cJSON_ArrayForEach(c, mg_node_get(cd, "constraints")) {
				con = mg_node_get(c, "Constraint");
				const char *ct = mg_node_str(con, "contype");
				if (ct && !strcmp(ct, "CONSTR_UNIQUE"))
					mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
							   "adding column \"%s\" with UNIQUE to "
							   "existing table \"%s\" builds a unique index "
							   "over every row while the table is locked",
							   col, table);
			}
			continue;
		}
		if (strcmp(sub, "AT_AddConstraint"))
			continue;
		con = mg_node_get(def, "Constraint");
		if (strcmp(mg_node_str(con, "contype") ? mg_node_str(con, "contype") : "",
			   "CONSTR_UNIQUE") || mg_node_str(con, "indexname"))
			continue;
		keys_text(con, keys, sizeof(keys));
		if (mg_node_str(con, "conname"))
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
					   "adding UNIQUE constraint \"%s\" (%s) to existing table "
					   "\"%s\" builds its unique index over every row while "
					   "the table is locked",
					   mg_node_str(con, "conname"), keys, table);
		else
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
					   "adding UNIQUE (%s) to existing table \"%s\" builds its "
					   "unique index over every row while the table is locked",
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
			if (k < i && mg_lint_tok_match(ctx, st, k, "UNIQUE", NULL) &&
			    !using_index(ctx, st, k, i)) {
				if (without_overlaps(ctx, st, k, i)) {
					o.help = overlaps_help;
					mg_lint_report_opt(ctx, &o, t[at].off, t[k].end - t[at].off,
							   "adding UNIQUE constraint%s WITHOUT OVERLAPS to existing "
							   "table \"%s\" builds its GiST index and checks "
							   "every row while the table is locked; such a key "
							   "cannot be built CONCURRENTLY and attached USING "
							   "INDEX, so there is no online way to add it",
							   label, table);
				} else {
					mg_lint_report(ctx, t[at].off, t[k].end - t[at].off,
						       "adding UNIQUE constraint%s to existing table \"%s\" "
						       "builds its unique index over every row while the "
						       "table is locked", label, table);
				}
			}
		}
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_unique_constraint_without_index = {
	.id = "unique-constraint-without-index",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
