/*
 * exclusion-constraint: ALTER TABLE ... ADD [CONSTRAINT c] EXCLUDE (...) on
 * a table that already exists.
 *
 * PostgreSQL builds the constraint's index and checks every row against
 * every other while holding ACCESS EXCLUSIVE on the table: no reads or
 * writes for the whole build. Unlike CHECK and FOREIGN KEY, EXCLUDE cannot
 * be added NOT VALID ("EXCLUDE constraints cannot be marked NOT VALID"),
 * and unlike UNIQUE it cannot be attached USING INDEX: there is no online
 * form, so the message says so instead of suggesting one that fails.
 *
 * Not reported: tables created earlier in the same script (declaring the
 * constraint in CREATE TABLE is the way to have one without this cost).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160];

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *con = mg_node_get(mg_node_get(cmd, "def"), "Constraint");
		const char *ct = mg_node_str(con, "contype");
		const char *nm = mg_node_str(con, "conname");
		char label[80] = "an exclusion constraint";

		if (!sub || strcmp(sub, "AT_AddConstraint") || !ct ||
		    strcmp(ct, "CONSTR_EXCLUSION"))
			continue;
		if (nm)
			snprintf(label, sizeof(label), "exclusion constraint \"%s\"", nm);
		mg_lint_report_node(ctx, st, con,
				    "adding %s to existing table \"%s\" builds its index and "
				    "checks every row while the table is locked; EXCLUDE "
				    "cannot be added NOT VALID or USING INDEX, so there is no "
				    "online way to add it", label, table);
	}
}

/* ---- statements the PostgreSQL 15 grammar cannot parse ----------------
 * (PostgreSQL 16+ syntax such as WITHOUT OVERLAPS): the same check on the
 * tokens of each ALTER TABLE subcommand. */

static bool tok_char(const char *text, const struct mg_token *t, char c)
{
	return t->end == t->off + 1 && text[t->off] == c;
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
			if (k < i && mg_lint_tok_match(ctx, st, k, "EXCLUDE", NULL) &&
			    !using_index(ctx, st, k, i))
				mg_lint_report(ctx, t[at].off, t[k].end - t[at].off,
					       "adding exclusion constraint%s to existing table \"%s\" "
					       "builds its index and checks every row while the table "
					       "is locked; EXCLUDE cannot be added NOT VALID or USING "
					       "INDEX, so there is no online way to add it", label, table);
		}
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_exclusion_constraint = {
	.id = "exclusion-constraint",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
