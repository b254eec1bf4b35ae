/*
 * constraint-missing-not-valid: ALTER TABLE ... ADD a FOREIGN KEY or CHECK
 * constraint without NOT VALID on a table that already exists.
 *
 * Without NOT VALID PostgreSQL validates every existing row inside the
 * ALTER TABLE, holding its lock for the whole scan: SHARE ROW EXCLUSIVE on
 * both tables for a foreign key (writes blocked on both), ACCESS EXCLUSIVE
 * for a CHECK (everything blocked). Adding it NOT VALID is instant; a later
 * VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE, which blocks
 * neither reads nor writes.
 *
 * Inside ADD COLUMN (checked on PostgreSQL 15):
 *   - an inline CHECK always scans the table (even when the new column is
 *     all NULL), and column constraints cannot be NOT VALID: reported;
 *   - an inline REFERENCES is NOT validated when the column has no DEFAULT
 *     (every value is NULL, PostgreSQL marks it valid without a scan): not
 *     reported, the locks are brief. With a DEFAULT clause (even DEFAULT
 *     NULL), a GENERATED expression or a serial type, PostgreSQL does run
 *     the validation scan: reported.
 *
 * Not reported: tables created earlier in the same script (so also a
 * foreign key from a new table to an existing one: it validates instantly,
 * the SHARE ROW EXCLUSIVE on the referenced table is brief); UNIQUE,
 * PRIMARY KEY and EXCLUDE (their own rules).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

/* "fk_name" or "(col, col)" of a constraint, for messages. */
static const char *con_label(const cJSON *con, const char *key, char *buf,
			     size_t size)
{
	const char *nm = mg_node_str(con, "conname");
	const cJSON *it;
	size_t n;

	if (nm) {
		snprintf(buf, size, "\"%s\"", nm);
		return buf;
	}
	n = (size_t)snprintf(buf, size, "(");
	cJSON_ArrayForEach(it, mg_node_get(con, key)) {
		const char *s = mg_lint_strval(it);
		if (s && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n > 1 ? ", " : "", s);
	}
	if (n < size)
		snprintf(buf + n, size - n, ")");
	return buf;
}

static const char partition_help[] =
	"PostgreSQL before 18 refuses NOT VALID foreign keys on a partitioned "
	"table: add the key with NOT VALID to each partition and VALIDATE "
	"CONSTRAINT it there, then add it to the parent table, which adopts the "
	"validated partition keys without scanning.";

static const char inline_check_help[] =
	"Add the column without the CHECK, then ADD CONSTRAINT ... CHECK (...) "
	"NOT VALID (no scan), and VALIDATE CONSTRAINT in a separate migration.";

static const char inline_fk_help[] =
	"Add the column without a default (PostgreSQL then skips the validation), "
	"or add it without REFERENCES and then ADD CONSTRAINT ... FOREIGN KEY ... "
	"NOT VALID, with VALIDATE CONSTRAINT in a separate migration.";

static void report_fk(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const cJSON *con, const char *table,
		      const struct mg_cat_table *t, const char *col)
{
	struct mg_report_opt o = { 0 };
	char ref[160], label[200];

	mg_lint_rv_name(mg_node_get(con, "pktable"), ref, sizeof(ref));
	if (col)
		o.help = inline_fk_help;
	if (t && t->partitioned && mg_lint_pg_version(ctx) < 18)
		o.help = partition_help;
	if (col)
		mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
				   "adding column \"%s\" with a default and REFERENCES "
				   "\"%s\" to existing table \"%s\" validates every row "
				   "against \"%s\" while holding ACCESS EXCLUSIVE on \"%s\" "
				   "and SHARE ROW EXCLUSIVE on \"%s\"", col, ref, table, ref,
				   table, ref);
	else
		mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, con), 0,
				   "adding foreign key %s on existing table \"%s\" "
				   "without NOT VALID validates every row against \"%s\" "
				   "while holding SHARE ROW EXCLUSIVE on both tables",
				   con_label(con, "fk_attrs", label, sizeof(label)),
				   table, ref);
}

/* ADD COLUMN with constraints checked against every existing row: inline
 * CHECKs (always), inline REFERENCES when the column gets a value. */
struct inline_checks {
	const cJSON *first;        /* the first inline CHECK */
	const char *cols[3];
	size_t n;
	bool valued;               /* one of the columns gets a value */
};

static void check_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const cJSON *cmd, const cJSON *cd, const char *table,
			 const struct mg_cat_table *t, struct inline_checks *ic)
{
	const char *col = mg_node_str(cd, "colname");
	const cJSON *it;
	bool has_default = false, has_identity = false, counted = false;
	struct mg_type ty;

	if (!col)
		return;
	if (t && mg_node_bool(cmd, "missing_ok") && mg_cat_column(t, col))
		return; /* IF NOT EXISTS on a column that is there: no-op */
	if (mg_type_from_node(mg_node_get(cd, "typeName"), &ty) && ty.serial)
		has_default = true;
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const char *ct = mg_node_str(mg_node_get(it, "Constraint"), "contype");
		if (ct && (!strcmp(ct, "CONSTR_DEFAULT") || !strcmp(ct, "CONSTR_GENERATED")))
			has_default = true;
		if (ct && !strcmp(ct, "CONSTR_IDENTITY"))
			has_identity = true;
	}
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *con = mg_node_get(it, "Constraint");
		const char *ct = mg_node_str(con, "contype");
		if (!ct || mg_node_bool(con, "skip_validation"))
			continue;
		if (!strcmp(ct, "CONSTR_CHECK") && !counted) {
			if (!ic->first)
				ic->first = con;
			if (ic->n < 3)
				ic->cols[ic->n] = col;
			ic->n++;
			counted = true;
			if (has_default || has_identity)
				ic->valued = true;
		} else if (!strcmp(ct, "CONSTR_FOREIGN") && has_default) {
			report_fk(ctx, st, con, table, t, col);
		}
	}
}

static void report_inline_checks(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
				 const struct inline_checks *ic, const char *table)
{
	char cols[200];
	size_t len = 0, shown = ic->n < 3 ? ic->n : 3;
	struct mg_report_opt o = { 0 };

	if (!ic->first)
		return;
	cols[0] = '\0';
	for (size_t i = 0; i < shown && len < sizeof(cols); i++)
		len += (size_t)snprintf(cols + len, sizeof(cols) - len, "%s\"%s\"",
					i == 0 ? "" : (i + 1 == shown && ic->n == shown) ?
					" and " : ", ", ic->cols[i]);
	if (ic->n > shown && len < sizeof(cols))
		snprintf(cols + len, sizeof(cols) - len, " and %zu more", ic->n - shown);
	o.help = inline_check_help;
	mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, ic->first), 0,
			    "adding column%s %s with %s to existing table \"%s\" scans "
			    "every row to check %s while the table is locked%s (a column "
			    "constraint cannot be NOT VALID)", ic->n > 1 ? "s" : "", cols,
			    ic->n > 1 ? "inline CHECKs" : "an inline CHECK", table,
			    ic->n > 1 ? "them" : "it",
			    ic->valued ? "" : ic->n > 1 ? ", even though the new columns "
			    "are all NULL" : ", even though the new column is all NULL");
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160], label[200];
	struct inline_checks ic = { NULL, { NULL }, 0, false };

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->kind == MG_REL_FOREIGN)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *con;
		const char *ct, *nm;

		if (!sub)
			continue;
		if (!strcmp(sub, "AT_AddColumn")) {
			check_column(ctx, st, cmd,
				     mg_node_get(mg_node_get(cmd, "def"), "ColumnDef"),
				     table, t, &ic);
			continue;
		}
		if (strcmp(sub, "AT_AddConstraint"))
			continue;
		con = mg_node_get(mg_node_get(cmd, "def"), "Constraint");
		ct = mg_node_str(con, "contype");
		if (!ct || mg_node_bool(con, "skip_validation"))
			continue;
		if (!strcmp(ct, "CONSTR_FOREIGN")) {
			report_fk(ctx, st, con, table, t, NULL);
		} else if (!strcmp(ct, "CONSTR_CHECK")) {
			nm = mg_node_str(con, "conname");
			if (nm)
				snprintf(label, sizeof(label), "CHECK constraint \"%s\"", nm);
			else
				snprintf(label, sizeof(label), "a CHECK constraint");
			mg_lint_report_node(ctx, st, con,
					    "adding %s to existing table \"%s\" without NOT "
					    "VALID scans every row while holding ACCESS "
					    "EXCLUSIVE", label, table);
		}
	}
	report_inline_checks(ctx, st, &ic, table);
}

/* ---- statements the PostgreSQL 15 grammar cannot parse ----------------
 * (a CHECK using PostgreSQL 16+ syntax such as IS JSON, ...): the same
 * checks on the tokens of each ALTER TABLE subcommand. NOT ENFORCED
 * (PostgreSQL 18) constraints are not validated, so they are quiet. */

static bool tok_char(const char *text, const struct mg_token *t, char c)
{
	return t->end == t->off + 1 && text[t->off] == c;
}

static void tokens_subcommand(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			      const struct mg_token *t, size_t k, size_t end,
			      const char *table, const struct mg_cat_table *tab)
{
	const char *text = mg_lint_text(ctx);
	bool not_valid = false, check = false, fk = false, dflt = false, column = false;
	bool ine = false, named = false;
	size_t at = k, what = 0;
	char col[64] = "", label[80] = "";
	int depth = 0;
	struct mg_report_opt o = { 0 };

	if (!mg_lint_tok_match(ctx, st, k, "ADD", NULL))
		return;
	k++;
	if (mg_lint_tok_match(ctx, st, k, "CONSTRAINT", NULL)) {
		at = k;
		named = k + 1 < end;
		if (named) {
			char nm[64];
			mg_lint_tok_ident(ctx, &t[k + 1], nm, sizeof(nm));
			snprintf(label, sizeof(label), " \"%s\"", nm);
		}
		k += 2;
	} else if (mg_lint_tok_match(ctx, st, k, "COLUMN", NULL)) {
		column = true;
		k++;
	} else if (!mg_lint_tok_match(ctx, st, k, "CHECK", NULL) &&
		   !mg_lint_tok_match(ctx, st, k, "FOREIGN", NULL) &&
		   !mg_lint_tok_match(ctx, st, k, "UNIQUE", NULL) &&
		   !mg_lint_tok_match(ctx, st, k, "PRIMARY", NULL) &&
		   !mg_lint_tok_match(ctx, st, k, "EXCLUDE", NULL)) {
		column = true; /* ADD name type ... */
	}
	if (column) {
		if (mg_lint_tok_match(ctx, st, k, "IF", "NOT", "EXISTS", NULL)) {
			ine = true;
			k += 3;
		}
		if (k < end)
			mg_lint_tok_ident(ctx, &t[k], col, sizeof(col));
		if (ine && col[0] && mg_cat_column(tab, col))
			return; /* IF NOT EXISTS of a column that is there */
	}
	for (; k < end; k++) {
		if (tok_char(text, &t[k], '('))
			depth++;
		else if (tok_char(text, &t[k], ')'))
			depth--;
		if (depth)
			continue;
		if (mg_lint_tok_match(ctx, st, k, "CHECK", NULL)) {
			check = true;
			if (!what)
				what = k;
		} else if (mg_lint_tok_match(ctx, st, k, "REFERENCES", NULL)) {
			fk = true;
			if (!what)
				what = k;
		} else if (mg_lint_tok_match(ctx, st, k, "FOREIGN", "KEY", NULL)) {
			fk = true;
			if (!what)
				what = k;
		} else if (mg_lint_tok_match(ctx, st, k, "DEFAULT", NULL) ||
			   mg_lint_tok_match(ctx, st, k, "GENERATED", NULL)) {
			dflt = true;
		} else if (mg_lint_tok_match(ctx, st, k, "NOT", "VALID", NULL) ||
			   mg_lint_tok_match(ctx, st, k, "NOT", "ENFORCED", NULL)) {
			not_valid = true;
		}
	}
	if (not_valid || !what)
		return;
	if (column) {
		if (check) {
			o.help = inline_check_help;
			mg_lint_report_opt(ctx, &o, t[what].off, t[what].end - t[what].off,
					   "adding column \"%s\" with an inline CHECK to existing "
					   "table \"%s\" scans every row to check it while the "
					   "table is locked (a column constraint cannot be NOT "
					   "VALID)", col, table);
		} else if (fk && dflt) {
			o.help = inline_fk_help;
			mg_lint_report_opt(ctx, &o, t[what].off, t[what].end - t[what].off,
					   "adding column \"%s\" with a default and REFERENCES to "
					   "existing table \"%s\" validates every row inside the "
					   "ALTER TABLE", col, table);
		}
		return;
	}
	if (fk)
		mg_lint_report(ctx, t[at].off, t[what].end - t[at].off,
			       "adding %s%s on existing table \"%s\" without NOT VALID "
			       "validates every row while holding SHARE ROW EXCLUSIVE on "
			       "both tables", named ? "foreign key" : "a foreign key", label,
			       table);
	else if (check)
		mg_lint_report(ctx, t[at].off, t[what].end - t[at].off,
			       "adding %s%s to existing table \"%s\" without NOT VALID "
			       "scans every row while holding ACCESS EXCLUSIVE",
			       named ? "CHECK constraint" : "a CHECK constraint", label, table);
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
		if (!stop) {
			if (tok_char(text, &t[i], '('))
				depth++;
			else if (tok_char(text, &t[i], ')'))
				depth--;
			if (depth || !tok_char(text, &t[i], ','))
				continue;
		}
		if (start < i)
			tokens_subcommand(ctx, st, t, start, i, table, tab);
		start = i + 1;
		if (stop)
			break;
	}
}

const struct mg_rule mg_rule_constraint_missing_not_valid = {
	.id = "constraint-missing-not-valid",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
	.check_tokens = check_tokens,
};
