/*
 * set-not-null: ALTER TABLE ... ALTER COLUMN c SET NOT NULL on a table that
 * already exists.
 *
 * PostgreSQL checks every row for NULLs while it holds ACCESS EXCLUSIVE on
 * the table (no reads, no writes for the length of a full scan). From
 * PostgreSQL 12 it skips the scan when a validated CHECK (c IS NOT NULL)
 * constraint already proves it; the catalog knows those constraints (and
 * whether they were added NOT VALID and later validated). Before 12 the
 * CHECK does not help.
 *
 * Not reported: tables created earlier in the same script; columns the
 * catalog already knows to be NOT NULL (then SET NOT NULL is a no-op).
 * A column added earlier in the same script to an existing table is still
 * reported: the table is not empty.
 *
 * PostgreSQL 18's ALTER TABLE ... ADD [CONSTRAINT n] NOT NULL col, which the
 * 15 grammar cannot parse, is checked from its tokens: reported the same
 * way unless it is NOT VALID (18's online form, validated later).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

/* A CHECK (col IS NOT NULL) that is still NOT VALID, or NULL. */
static const struct mg_cat_constraint *unvalidated_check(const struct mg_cat_table *t,
							 const char *col)
{
	for (size_t i = 0; t && i < t->ncons; i++) {
		const struct mg_cat_constraint *c = &t->cons[i];
		if (c->type == MG_CON_CHECK && !c->valid && c->notnull_column &&
		    !strcmp(c->notnull_column, col))
			return c;
	}
	return NULL;
}

/* An earlier subcommand (index < upto) of the same statement validates
 * constraint `name`. */
static bool validated_here(const cJSON *stmt, const char *name, size_t upto)
{
	const cJSON *it;
	size_t i = 0;

	cJSON_ArrayForEach(it, mg_node_get(stmt, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *nm = mg_node_str(cmd, "name");
		if (i++ >= upto)
			break;
		if (sub && nm && !strcmp(sub, "AT_ValidateConstraint") && !strcmp(nm, name))
			return true;
	}
	return false;
}

static const char pre12_help[] =
	"Before PostgreSQL 12 SET NOT NULL always scans: keep a validated "
	"CHECK (col IS NOT NULL) constraint as the enforcement instead (add it "
	"NOT VALID, VALIDATE it in a separate step), or run SET NOT NULL in a "
	"maintenance window.";

static const char pg18_help[] =
	"On PostgreSQL 18: ADD CONSTRAINT <name> NOT NULL <col> NOT VALID (no "
	"scan), then VALIDATE CONSTRAINT <name> in a separate step (scans under "
	"SHARE UPDATE EXCLUSIVE; reads and writes go on). Before 18: CHECK (col "
	"IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL (12+ skips the scan).";

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160];
	int pg = mg_lint_pg_version(ctx);
	size_t i = 0;
	struct mg_report_opt o = { 0 };

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->kind == MG_REL_FOREIGN)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	if (pg < 12)
		o.help = pre12_help;
	else if (pg >= 18)
		o.help = pg18_help;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *col = mg_node_str(cmd, "name");
		const struct mg_cat_column *c;
		const struct mg_cat_constraint *k;
		size_t off, end;

		i++;
		if (!sub || strcmp(sub, "AT_SetNotNull") || !col)
			continue;
		c = mg_cat_column(t, col);
		if (c && c->not_null)
			continue; /* already NOT NULL: nothing to check */
		k = mg_cat_notnull_check(t, col);
		if (k && pg >= 12)
			continue; /* the validated CHECK proves it: no scan */
		if (!mg_lint_cmd_span(ctx, st, i - 1, &off, &end))
			end = off; /* statement start */
		if (k)
			mg_lint_report_opt(ctx, &o, off, end - off,
				       "SET NOT NULL on column \"%s\" of existing table \"%s\" "
				       "scans every row: PostgreSQL %d ignores the validated "
				       "CHECK constraint \"%s\" here (only 12 and later use it "
				       "to skip the scan)", col, table, pg, k->name);
		else if ((k = unvalidated_check(t, col)) &&
			 validated_here(st->node, k->name, i - 1))
			mg_lint_report_opt(ctx, &o, off, end - off,
				       "SET NOT NULL on column \"%s\" of existing table \"%s\" "
				       "in the same ALTER TABLE that validates \"%s\": the "
				       "validation scan then runs under the ACCESS EXCLUSIVE lock "
				       "SET NOT NULL takes; VALIDATE in an earlier statement",
				       col, table, k->name);
		else if (k)
			mg_lint_report_opt(ctx, &o, off, end - off,
				       "SET NOT NULL on column \"%s\" of existing table \"%s\" "
				       "scans every row: CHECK constraint \"%s\" (%s IS NOT NULL) "
				       "is still NOT VALID, so it cannot be used to skip the "
				       "scan; VALIDATE CONSTRAINT it first", col, table,
				       k->name, col);
		else
			mg_lint_report_opt(ctx, &o, off, end - off,
				       "SET NOT NULL on column \"%s\" of existing table \"%s\" "
				       "scans every row for NULLs while the table is locked",
				       col, table);
	}
}

/* ---- statements the PostgreSQL 15 grammar cannot parse ----------------
 * PostgreSQL 18's ALTER TABLE t ADD [CONSTRAINT name] NOT NULL col scans
 * like SET NOT NULL unless it is NOT VALID. */

static bool tok_char(const char *text, const struct mg_token *t, char c)
{
	return t->end == t->off + 1 && text[t->off] == c;
}

static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t n, i, start;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);
	char schema[64] = "", name[64], table[140], col[64];
	const struct mg_cat_table *tab;
	int depth = 0, pg = mg_lint_pg_version(ctx);
	struct mg_report_opt o = { 0 };

	if (!t || !mg_lint_alter_table_name(ctx, st, &i, schema, sizeof(schema), name,
					     sizeof(name)))
		return;
	tab = mg_lint_table_named(ctx, schema, name);
	if (mg_lint_table_origin(ctx, tab) == MG_ORIGIN_NEW)
		return;
	snprintf(table, sizeof(table), "%s%s%s", schema, schema[0] ? "." : "", name);
	o.help = pg >= 18 ? pg18_help : NULL;
	for (start = ++i; i <= n; i++) {
		bool stop = i == n || tok_char(text, &t[i], ';');
		size_t k = start, end = i;
		bool not_valid = false;
		const struct mg_cat_column *c;

		if (!stop) {
			if (tok_char(text, &t[i], '('))
				depth++;
			else if (tok_char(text, &t[i], ')'))
				depth--;
			if (depth || !tok_char(text, &t[i], ','))
				continue;
		}
		start = i + 1;
		/* ADD [CONSTRAINT name] NOT NULL col [NO INHERIT] [NOT VALID] */
		if (k < end && mg_lint_tok_match(ctx, st, k, "ADD", NULL)) {
			size_t at = k++;
			if (mg_lint_tok_match(ctx, st, k, "CONSTRAINT", NULL))
				k += 2;
			if (k + 2 < end && mg_lint_tok_match(ctx, st, k, "NOT", "NULL", NULL)) {
				mg_lint_tok_ident(ctx, &t[k + 2], col, sizeof(col));
				for (size_t j = k + 3; j + 1 < end; j++)
					if (mg_lint_tok_match(ctx, st, j, "NOT", "VALID", NULL))
						not_valid = true;
				c = mg_cat_column(tab, col);
				if (!not_valid && !(c && c->not_null) &&
				    !(pg >= 12 && mg_cat_notnull_check(tab, col)))
					mg_lint_report_opt(ctx, &o, t[at].off, t[end - 1].end - t[at].off,
							   "adding NOT NULL on column \"%s\" of existing "
							   "table \"%s\" without NOT VALID scans every row "
							   "for NULLs while the table is locked", col, table);
			}
		}
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_set_not_null = {
	.id = "set-not-null",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
