/*
 * coldefs: the columns a statement defines, for the column-type advice
 * rules (prefer-jsonb, prefer-text-over-char, prefer-text-over-varchar,
 * prefer-timestamptz, prefer-bigint-identity).
 *
 * CREATE TABLE columns (not temporary tables, not PARTITION OF / LIKE
 * copies, which have no type of their own), ALTER TABLE ... ADD COLUMN and
 * ALTER TABLE ... ALTER COLUMN ... TYPE. The rules call it neither for
 * statements that only read the schema nor in downgrade scripts (they
 * restore an earlier definition; the advice belongs to the design, in the
 * upgrade).
 */
#ifndef MG_LINT_COLDEFS_H
#define MG_LINT_COLDEFS_H

#include <stdbool.h>

#include "rule.h"

struct mg_coldef {
	const char *table;        /* "schema.name" or "name", for messages */
	const char *name;         /* column name */
	const cJSON *type;        /* the TypeName node */
	const cJSON *constraints; /* ColumnDef constraints (may be NULL) */
	bool alter_type;          /* from ALTER COLUMN TYPE */
	const cJSON *rangevar;    /* the table */
};

typedef void (*mg_coldef_fn)(struct mg_lint_ctx *ctx,
			     const struct mg_lint_stmt *st,
			     const struct mg_coldef *c);

/* Call fn for each column st (a CreateStmt or AlterTableStmt) defines. */
void mg_each_coldef(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		    mg_coldef_fn fn);

/* The type's last name if it is a built-in one (unqualified or
 * pg_catalog), else NULL. "char" quoted comes out as "char", unquoted
 * char/character as "bpchar". */
const char *mg_coldef_builtin_type(const cJSON *type);

#endif
