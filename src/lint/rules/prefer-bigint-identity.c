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
#include "lint/rule.h"
#include "lint/typecoerce.h"

/* ---- the columns a statement defines (same walk in each prefer-* rule) ----
 * CREATE TABLE columns (not temporary tables, not PARTITION OF / LIKE
 * copies, which have no type of their own), ALTER TABLE ... ADD COLUMN and
 * ALTER TABLE ... ALTER COLUMN ... TYPE. Never called for statements that
 * only read the schema, nor in downgrade scripts (they restore an earlier
 * definition; the advice belongs to the design, in the upgrade). */
struct coldef {
	const char *table;        /* "schema.name" or "name", for messages */
	const char *name;         /* column name */
	const cJSON *type;        /* the TypeName node */
	const cJSON *constraints; /* ColumnDef constraints (may be NULL) */
	bool alter_type;          /* from ALTER COLUMN TYPE */
	const cJSON *rangevar;    /* the table */
};

typedef void (*col_fn)(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       const struct coldef *c);

static void each_column(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			col_fn fn)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	char table[160];
	const char *pers = mg_node_str(rv, "relpersistence");

	if (!rv || (pers && strcmp(pers, "t") == 0))
		return;
	mg_lint_rv_name(rv, table, sizeof table);
	if (strcmp(st->kind, "CreateStmt") == 0) {
		const cJSON *elts = mg_node_get(st->node, "tableElts");
		for (size_t i = 0; i < mg_lint_len(elts); i++) {
			const char *nm = NULL;
			const cJSON *cd = mg_node_unwrap(mg_lint_at(elts, i), &nm);
			if (!nm || strcmp(nm, "ColumnDef") != 0 ||
			    !mg_node_get(cd, "typeName"))
				continue;
			struct coldef c = {
				.table = table,
				.name = mg_node_str(cd, "colname"),
				.type = mg_node_get(cd, "typeName"),
				.constraints = mg_node_get(cd, "constraints"),
				.rangevar = rv,
			};
			if (c.name)
				fn(ctx, st, &c);
		}
		return;
	}
	const char *objtype = mg_node_str(st->node, "objtype");
	if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0)
		return;
	const cJSON *cmds = mg_node_get(st->node, "cmds");
	for (size_t i = 0; i < mg_lint_len(cmds); i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *cd = mg_node_unwrap(mg_node_get(cmd, "def"), NULL);
		struct coldef c = { .table = table, .rangevar = rv };

		if (!sub || !cd || !mg_node_get(cd, "typeName"))
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0) {
			c.name = mg_node_str(cd, "colname");
		} else if (strcmp(sub, "AT_AlterColumnType") == 0) {
			c.name = mg_node_str(cmd, "name");
			c.alter_type = true;
		} else {
			continue;
		}
		c.type = mg_node_get(cd, "typeName");
		c.constraints = mg_node_get(cd, "constraints");
		if (c.name)
			fn(ctx, st, &c);
	}
}

/* The type's last name if it is a built-in one (unqualified or
 * pg_catalog), else NULL. "char" quoted comes out as "char", unquoted
 * char/character as "bpchar". */
static const char *builtin_name(const cJSON *type)
{
	const cJSON *names = mg_node_get(type, "names");
	size_t n = mg_lint_len(names);
	if (n == 0 || n > 2)
		return NULL;
	if (n == 2) {
		const char *sch = mg_lint_strval(mg_lint_at(names, 0));
		if (!sch || strcmp(sch, "pg_catalog") != 0)
			return NULL;
	}
	return mg_lint_strval(mg_lint_at(names, n - 1));
}
/* ---- end of the column walk ---- */

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
		      const struct coldef *c)
{
	struct mg_type t;
	const char *written = builtin_name(c->type);
	bool pk, small;

	if (!written || !mg_type_from_node(c->type, &t) || t.array_dims ||
	    t.schema[0])
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
	each_column(ctx, st, on_column);
}

static const char *const kinds[] = { "CreateStmt", "AlterTableStmt", NULL };

const struct mg_rule mg_rule_prefer_bigint_identity = {
	.id = "prefer-bigint-identity",
	.default_severity = MG_SEV_INFO,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
