/*
 * add-column-volatile-default: ALTER TABLE ... ADD COLUMN whose values must
 * be computed row by row, on a table that already exists.
 *
 * From PostgreSQL 11 a non-volatile default (a constant, now(),
 * CURRENT_TIMESTAMP, '{}'::jsonb, ARRAY[]::text[], a cast of a constant)
 * is stored once in the catalog and the ADD COLUMN is instant. A volatile
 * default (gen_random_uuid(), clock_timestamp(), random(), nextval(...),
 * a function declared VOLATILE or not known at all), a serial type (its
 * default is nextval()) and an identity column (PostgreSQL computes a
 * sequence value for every row) instead rewrite the whole table and its
 * indexes while holding ACCESS EXCLUSIVE. Before PostgreSQL 11 every
 * non-NULL default rewrites.
 *
 * Not reported: tables created earlier in the same script; DEFAULT NULL;
 * stored generated columns (add-column-stored-generated); foreign tables.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"
#include "lint/volatility.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

static bool is_null_const(const cJSON *e)
{
	const char *name = NULL;
	const cJSON *n = mg_node_unwrap(e, &name);

	if (!n || !name)
		return false;
	if (!strcmp(name, "A_Const"))
		return mg_node_bool(n, "isnull");
	if (!strcmp(name, "TypeCast"))
		return is_null_const(mg_node_get(n, "arg"));
	return false;
}

/* Is token t the keyword `w` (upper case)? */
static bool tok_is(const char *text, const struct mg_token *t, const char *w)
{
	return mg_token_is(text, t, w);
}

/* The default expression as written, for messages ("gen_random_uuid()"):
 * the tokens after the DEFAULT keyword at `defoff` up to the end of the
 * expression (a ',' or ')' closing the column, or the next column
 * constraint keyword at depth 0). */
static void default_text(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 size_t defoff, char *buf, size_t size)
{
	static const char *const stop[] = { "NOT", "NULL", "CHECK", "REFERENCES",
		"UNIQUE", "PRIMARY", "CONSTRAINT", "GENERATED", "COLLATE",
		"DEFAULT", "DEFERRABLE", "INITIALLY", NULL };
	const char *text = mg_lint_text(ctx);
	const struct mg_token *tk;
	size_t n = 0, i, first = 0, last = 0;
	int depth = 0;
	bool have = false;

	buf[0] = '\0';
	tk = mg_lint_tokens(ctx, st, &n);
	for (i = 0; i < n && tk[i].off < defoff; i++)
		;
	if (i >= n || !tok_is(text, &tk[i], "DEFAULT"))
		return;
	for (i++; i < n; i++) {
		const struct mg_token *t = &tk[i];
		bool one = t->end == t->off + 1;
		char ch = one ? text[t->off] : 0;
		if (depth == 0 && have) {
			if (ch == ',' || ch == ')' || ch == ';')
				break;
			bool kw = false;
			for (size_t k = 0; stop[k] && !kw; k++)
				kw = tok_is(text, t, stop[k]);
			if (kw)
				break;
		}
		if (ch == '(')
			depth++;
		else if (ch == ')')
			depth--;
		if (!have)
			first = i;
		last = i;
		have = true;
	}
	if (!have)
		return;
	size_t len = tk[last].end - tk[first].off;
	if (len + 1 > size) {
		size_t cut = size - 4;
		/* do not cut a UTF-8 sequence in two */
		while (cut > 0 && ((unsigned char)text[tk[first].off + cut] & 0xC0) == 0x80)
			cut--;
		snprintf(buf, size, "%.*s...", (int)cut, text + tk[first].off);
	} else
		snprintf(buf, size, "%.*s", (int)len, text + tk[first].off);
	/* one line: newlines and tabs as spaces */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
}

/* Why one ADD COLUMN needs a value computed per row, or none. */
struct why {
	const cJSON *node;   /* where to point */
	char msg[1024];       /* the finding's text for this column */
};

static bool column_rewrites(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			    const cJSON *cmd, const cJSON *cd, const char *table,
			    const struct mg_cat_table *t, struct why *w)
{
	const char *col = mg_node_str(cd, "colname");
	const cJSON *it, *def = NULL, *defcon = NULL, *ident = NULL;
	struct mg_type ty;
	int pg = mg_lint_pg_version(ctx);
	struct mg_vol_result vr;
	char text[96];

	if (!col)
		return false;
	if (t && mg_node_bool(cmd, "missing_ok") && mg_cat_column(t, col))
		return false; /* IF NOT EXISTS on a column that is there: no-op */
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *con = mg_node_get(it, "Constraint");
		const char *ct = mg_node_str(con, "contype");
		if (!ct)
			continue;
		if (!strcmp(ct, "CONSTR_DEFAULT")) {
			def = mg_node_get(con, "raw_expr");
			defcon = con;
		} else if (!strcmp(ct, "CONSTR_IDENTITY"))
			ident = con;
		else if (!strcmp(ct, "CONSTR_GENERATED"))
			return false; /* add-column-stored-generated */
	}
	if (ident) {
		w->node = ident;
		snprintf(w->msg, sizeof(w->msg),
			 "adding identity column \"%s\" to existing table \"%s\" "
			 "rewrites the whole table: PostgreSQL fills it with a new "
			 "sequence value in every row", col, table);
		return true;
	}
	if (mg_type_from_node(mg_node_get(cd, "typeName"), &ty) && ty.serial) {
		const cJSON *tn = mg_node_get(cd, "typeName");
		const char *written = mg_lint_list_last(mg_node_get(tn, "names"));
		w->node = tn;
		snprintf(w->msg, sizeof(w->msg),
			 "adding %s column \"%s\" to existing table \"%s\" rewrites "
			 "the whole table: its default nextval() is volatile, so every "
			 "row gets its own value", written ? written : "serial", col, table);
		return true;
	}
	if (!def || is_null_const(def))
		return false;
	w->node = def;
	if (pg < 11) {
		default_text(ctx, st, mg_lint_node_off(st, defcon), text, sizeof(text));
		snprintf(w->msg, sizeof(w->msg),
			 "adding column \"%s\" with DEFAULT %s to existing table \"%s\" "
			 "rewrites the whole table on PostgreSQL %d (before 11 every "
			 "non-NULL default is written into each row)", col, text, table, pg);
		return true;
	}
	mg_volatility_expr(mg_lint_catalog(ctx), def, &vr);
	if (vr.vol != MG_VOL_VOLATILE)
		return false;
	/* the text needs the statement's tokens: only for a finding */
	default_text(ctx, st, mg_lint_node_off(st, defcon), text, sizeof(text));
	if (vr.unknown)
		snprintf(w->msg, sizeof(w->msg),
			 "adding column \"%s\" with DEFAULT %s to existing table \"%s\" "
			 "rewrites the whole table if %s() is volatile (unknown "
			 "function, assumed volatile)", col, text, table, vr.func);
	else
		snprintf(w->msg, sizeof(w->msg),
			 "adding column \"%s\" with volatile DEFAULT %s to existing "
			 "table \"%s\" rewrites the whole table to compute a value for "
			 "every row", col, text, table);
	return true;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t;
	const cJSON *it;
	char table[160], more[240];
	const char *others[3] = { NULL, NULL, NULL };
	struct why first, w;
	size_t n = 0, len = 0, shown;

	if (ot && strcmp(ot, "OBJECT_TABLE"))
		return;
	t = mg_lint_table(ctx, rel);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	if (t && t->kind == MG_REL_FOREIGN)
		return;
	mg_lint_rv_name(rel, table, sizeof(table));
	/* the table is rewritten once per statement: one finding, at the
	 * first such column, naming the others */
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *cd = mg_node_get(mg_node_get(cmd, "def"), "ColumnDef");
		if (!sub || strcmp(sub, "AT_AddColumn"))
			continue;
		if (!column_rewrites(ctx, st, cmd, cd, table, t, n ? &w : &first))
			continue;
		if (n >= 1 && n <= 3)
			others[n - 1] = mg_node_str(cd, "colname");
		n++;
	}
	if (!n)
		return;
	if (n == 1) {
		mg_lint_report_node(ctx, st, first.node, "%s", first.msg);
		return;
	}
	/* "b", "c" and 2 more */
	more[0] = '\0';
	shown = n - 1 < 3 ? n - 1 : 3;
	for (size_t i = 0; i < shown && len < sizeof(more); i++)
		len += (size_t)snprintf(more + len, sizeof(more) - len, "%s\"%s\"",
					i == 0 ? "" : (i + 1 == shown && n - 1 == shown) ?
					" and " : ", ", others[i] ? others[i] : "?");
	if (n - 1 > shown && len < sizeof(more))
		snprintf(more + len, sizeof(more) - len, " and %zu more", n - 1 - shown);
	mg_lint_report_node(ctx, st, first.node, "%s (and so do %s in the same "
			    "statement; the table is rewritten once)", first.msg, more);
}

const struct mg_rule mg_rule_add_column_volatile_default = {
	.id = "add-column-volatile-default",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
