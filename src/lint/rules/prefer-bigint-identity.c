/*
 * prefer-bigint-identity: 16/32-bit integer primary keys (advice).
 *
 * An integer (or serial) key runs out at 2,147,483,647 (smallint at
 * 32,767) inserts, sequence gaps included, and widening it later rewrites
 * the table and every referencing table. bigint GENERATED ALWAYS AS
 * IDENTITY costs 4 more bytes per row and has no owned-sequence quirks.
 * Reported for a generated single-column primary key (serial /
 * smallserial, GENERATED ... AS IDENTITY or DEFAULT nextval(...); inline
 * PRIMARY KEY or a table-level PRIMARY KEY (col)) whose column is defined
 * by CREATE TABLE, ADD COLUMN or ALTER COLUMN TYPE as int2/int4. Quiet on
 * application-assigned keys (a shard number, a code: nothing consumes them
 * by itself), and when the key column is also a foreign key (a 1:1
 * extension table: its type must match the referenced key, so the advice
 * belongs there).
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/coldefs.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"


static bool has_contype(const cJSON *constraints, const char *contype)
{
	for (size_t i = 0; i < mg_lint_len(constraints); i++) {
		const cJSON *c = mg_node_unwrap(mg_lint_at(constraints, i), NULL);
		const char *t = mg_node_str(c, "contype");
		if (t && strcmp(t, contype) == 0)
			return true;
	}
	return false;
}

/* Table-level constraints of a CREATE TABLE: the single key column of
 * the PRIMARY KEY (or NULL), and whether col is in a FOREIGN KEY. */
static const char *table_pk(const struct mg_lint_stmt *st)
{
	const cJSON *elts = mg_node_get(st->node, "tableElts");
	for (size_t i = 0; i < mg_lint_len(elts); i++) {
		const char *nm = NULL;
		const cJSON *c = mg_node_unwrap(mg_lint_at(elts, i), &nm);
		const char *t = mg_node_str(c, "contype");
		if (!nm || strcmp(nm, "Constraint") != 0 || !t ||
		    strcmp(t, "CONSTR_PRIMARY") != 0)
			continue;
		const cJSON *keys = mg_node_get(c, "keys");
		return mg_lint_len(keys) == 1 ? mg_lint_strval(mg_lint_at(keys, 0))
					      : NULL;
	}
	return NULL;
}

static bool table_fk_on(const struct mg_lint_stmt *st, const char *col)
{
	const cJSON *elts = mg_node_get(st->node, "tableElts");
	for (size_t i = 0; i < mg_lint_len(elts); i++) {
		const char *nm = NULL;
		const cJSON *c = mg_node_unwrap(mg_lint_at(elts, i), &nm);
		const char *t = mg_node_str(c, "contype");
		if (!nm || strcmp(nm, "Constraint") != 0 || !t ||
		    strcmp(t, "CONSTR_FOREIGN") != 0)
			continue;
		const cJSON *keys = mg_node_get(c, "fk_attrs");
		for (size_t k = 0; k < mg_lint_len(keys); k++) {
			const char *s = mg_lint_strval(mg_lint_at(keys, k));
			if (s && strcmp(s, col) == 0)
				return true;
		}
	}
	return false;
}

/* The column gets its values from a generator: GENERATED ... AS IDENTITY
 * or DEFAULT nextval(...). (serial is checked from the type.) */
static bool generated_key(const cJSON *constraints)
{
	for (size_t i = 0; i < mg_lint_len(constraints); i++) {
		const cJSON *c = mg_node_unwrap(mg_lint_at(constraints, i), NULL);
		const char *t = mg_node_str(c, "contype");
		if (!t)
			continue;
		if (strcmp(t, "CONSTR_IDENTITY") == 0)
			return true;
		if (strcmp(t, "CONSTR_DEFAULT") == 0) {
			const char *fn = NULL;
			const cJSON *f = mg_node_unwrap(mg_node_get(c, "raw_expr"), &fn);
			const char *name = mg_lint_list_last(mg_node_get(f, "funcname"));
			if (fn && strcmp(fn, "FuncCall") == 0 && name &&
			    strcmp(name, "nextval") == 0)
				return true;
		}
	}
	return false;
}

/* From the catalog: col is the whole primary key of the table, and not
 * part of a foreign key. */
static bool cat_single_pk(const struct mg_cat_table *t, const char *col)
{
	bool pk = false;
	for (size_t i = 0; t && i < t->ncons; i++) {
		const struct mg_cat_constraint *c = &t->cons[i];
		bool has = false;
		for (size_t k = 0; k < c->ncolumns; k++)
			if (c->columns[k] && strcmp(c->columns[k], col) == 0)
				has = true;
		if (c->type == MG_CON_FOREIGN && has)
			return false;
		if (c->type == MG_CON_PRIMARY && has && c->ncolumns == 1)
			pk = true;
	}
	return pk;
}

static void on_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      const struct mg_coldef *c)
{
	struct mg_type t;
	const char *written = mg_coldef_builtin_type(c->type);
	const char *canon = written ? mg_type_canonical(written) : NULL;
	bool pk, small;

	/* the name first: most columns are no integer (and t.name is this
	 * canonical name) */
	if (!canon || (strcmp(canon, "int4") && strcmp(canon, "int2")))
		return;
	if (!mg_type_from_node(c->type, &t) || t.array_dims || t.schema[0])
		return;
	if (strcmp(t.name, "int4") == 0)
		small = false;
	else if (strcmp(t.name, "int2") == 0)
		small = true;
	else
		return;
	if (has_contype(c->constraints, "CONSTR_FOREIGN"))
		return;
	if (c->alter_type) {
		const struct mg_cat_table *tab = mg_lint_table(ctx, c->rangevar);
		const struct mg_cat_column *col = mg_cat_column(tab, c->name);
		if (!col || !(col->identity || col->type.serial))
			return; /* an application-assigned key */
		pk = cat_single_pk(tab, c->name);
	} else {
		if (!t.serial && !generated_key(c->constraints))
			return; /* an application-assigned key (a shard number,
				   a code): it does not run out by itself */
		pk = has_contype(c->constraints, "CONSTR_PRIMARY");
		if (!pk && strcmp(st->kind, "CreateStmt") == 0) {
			const char *k = table_pk(st);
			pk = k && strcmp(k, c->name) == 0 && !table_fk_on(st, c->name);
		}
	}
	if (!pk)
		return;
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
			   mg_lint_node_off(st, c->type), 0,
			   "primary key column \"%s\" of \"%s\" is %s: keys "
			   "run out after %s values (sequence gaps included) and "
			   "widening it later rewrites the table and every table "
			   "that references it; prefer bigint GENERATED ALWAYS AS "
			   "IDENTITY",
			   c->name, c->table,
			   t.serial ? (small ? "smallserial" : "serial")
				     : (small ? "smallint" : "integer"),
			   small ? "32,767" : "2,147,483,647");
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (mg_lint_is_down(ctx))
		return; /* a downgrade restores an earlier definition */
	mg_each_coldef(ctx, st, on_column);
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_bigint_identity = {
	.id = "prefer-bigint-identity",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
