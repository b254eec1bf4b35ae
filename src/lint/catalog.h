/*
 * catalog: an in-memory schema built offline by replaying migrations.
 *
 * The lint engine applies every parsed statement to one catalog, in order,
 * so rules can ask what exists: tables with their columns (type,
 * nullability, default), constraints (with validity, and CHECK (c IS NOT
 * NULL) recognised per column), indexes, enum types with their ordered
 * values, views, sequences, functions and schemas. No database is needed.
 *
 * Names are as libpg_query gives them: unquoted identifiers folded to lower
 * case, quoted ones kept. There is no search_path: an unqualified name means
 * schema "public", a qualified one keeps its schema.
 *
 * The catalog is never complete (extensions, objects made by hand, a single
 * file linted alone): absence of an object means "unknown", never "does not
 * exist". Every object records `gen`, the script generation that created it
 * (mg_catalog_begin_script), from which the engine tells rules whether it is
 * new in the current script, made by an earlier migration, or made by the
 * upgrade matching the downgrade being linted.
 *
 * Lookups are hash tables (tables, indexes, types by schema + name, and
 * the indexes of each table), so a replay is linear in the number of
 * statements. Every pointer returned is borrowed and valid until the next
 * mutation (apply, clone-restore, free).
 */
#ifndef MG_CATALOG_H
#define MG_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "typecoerce.h"
#include "volatility.h"

enum mg_rel_kind {
	MG_REL_TABLE = 1,
	MG_REL_VIEW,
	MG_REL_MATVIEW,
	MG_REL_SEQUENCE,
	MG_REL_FOREIGN
};

enum mg_con_type {
	MG_CON_CHECK = 1,
	MG_CON_FOREIGN,
	MG_CON_UNIQUE,
	MG_CON_PRIMARY,
	MG_CON_EXCLUSION
};

enum mg_type_kind {
	MG_TYPE_ENUM = 1,
	MG_TYPE_COMPOSITE,
	MG_TYPE_DOMAIN,
	MG_TYPE_RANGE,
	MG_TYPE_OTHER
};

struct mg_cat_column {
	char *name;
	struct mg_type type;
	bool not_null;        /* NOT NULL (or part of the primary key) */
	bool has_default;
	bool default_volatile;/* the default is volatile (or unknown) */
	bool identity;        /* GENERATED ... AS IDENTITY */
	bool generated;       /* GENERATED ALWAYS AS (...) STORED */
	unsigned gen;         /* script generation that added it */
};

struct mg_cat_constraint {
	char *name;                 /* as named or as PostgreSQL would name it */
	enum mg_con_type type;
	bool valid;                 /* false after NOT VALID until VALIDATE */
	char **columns;             /* key columns (FK: the referencing ones) */
	size_t ncolumns;
	char *notnull_column;       /* CHECK (col IS NOT NULL): col, else NULL */
	char *ref_schema, *ref_table; /* FOREIGN: the referenced table */
	char *index;                /* UNIQUE/PRIMARY: the backing index name */
	unsigned gen;
};

struct mg_cat_table {
	char *schema, *name;
	enum mg_rel_kind kind;
	bool unlogged, temp, partitioned;
	bool stub;                  /* known only from ALTERs: it was created
				       outside the replayed migrations */
	char *partition_of;         /* "schema.name" of the parent, or NULL */
	struct mg_cat_column *cols; /* in order */
	size_t ncols, capcols;
	struct mg_cat_constraint *cons;
	size_t ncons, capcons;
	unsigned gen;               /* script generation that created it (0
				       for stubs) */
};

struct mg_cat_index {
	char *schema, *name;        /* an index lives in its table's schema */
	char *table;                /* the table's name (same schema) */
	char **columns;             /* key columns; "" for an expression */
	size_t ncolumns;
	bool unique, primary, partial;
	unsigned gen;
};

struct mg_cat_type {
	char *schema, *name;
	enum mg_type_kind kind;
	char **values;              /* enum labels in sort order */
	size_t nvalues, capvalues;
	unsigned gen;
};

struct mg_cat_func {
	char *schema, *name;
	enum mg_volatility vol;     /* declared (default VOLATILE) */
	unsigned gen;
};

struct mg_catalog; /* opaque */

/* New empty catalog with schema "public" (gen 0). Owned; mg_catalog_free. */
struct mg_catalog *mg_catalog_new(void);
void mg_catalog_free(struct mg_catalog *cat);
/* Deep copy (used to lint a downgrade against a scratch state). */
struct mg_catalog *mg_catalog_clone(const struct mg_catalog *cat);

/* Savepoint: from now on every change is journalled, and rollback undoes
 * all of them (and the generations begun since). How a downgrade is linted
 * against the state after its upgrade without copying the catalog. One
 * savepoint at a time: a second one rolls the first back. */
void mg_catalog_savepoint(struct mg_catalog *cat);
void mg_catalog_rollback(struct mg_catalog *cat);
/* A canonical, sorted text dump of everything the catalog holds (owned),
 * for tests and debugging. */
char *mg_catalog_dump(const struct mg_catalog *cat);

/* Start a new script: returns its generation (1, 2, ...). Objects the
 * following applies create carry it. */
unsigned mg_catalog_begin_script(struct mg_catalog *cat);
unsigned mg_catalog_gen(const struct mg_catalog *cat);

/* Apply one statement node (unwrapped, with its kind name) to the catalog.
 * Statements it does not understand change nothing. Never fails. */
void mg_catalog_apply(struct mg_catalog *cat, const char *kind, const cJSON *node);

/* ---- queries: schema NULL or "" means "public" ---- */
const struct mg_cat_table *mg_cat_table(const struct mg_catalog *cat,
					const char *schema, const char *name);
/* From a RangeVar node ({"schemaname","relname"}), or NULL. */
const struct mg_cat_table *mg_cat_table_rv(const struct mg_catalog *cat,
					   const cJSON *rangevar);
const struct mg_cat_column *mg_cat_column(const struct mg_cat_table *t,
					  const char *name);
const struct mg_cat_constraint *mg_cat_constraint(const struct mg_cat_table *t,
						  const char *name);
const struct mg_cat_index *mg_cat_index(const struct mg_catalog *cat,
					const char *schema, const char *name);
const struct mg_cat_type *mg_cat_type(const struct mg_catalog *cat,
				      const char *schema, const char *name);
/* The most recent definition of a function by name (any arguments). */
const struct mg_cat_func *mg_cat_func(const struct mg_catalog *cat,
				      const char *schema, const char *name);
bool mg_cat_schema_exists(const struct mg_catalog *cat, const char *name);

/* A VALID CHECK (col IS NOT NULL) constraint exists on t for col (so
 * SET NOT NULL needs no scan, PostgreSQL 12+). */
const struct mg_cat_constraint *mg_cat_notnull_check(const struct mg_cat_table *t,
						     const char *col);
/* Some index of t has col as its first key column. */
const struct mg_cat_index *mg_cat_index_leading(const struct mg_catalog *cat,
						const struct mg_cat_table *t,
						const char *col);
/* Iterate the indexes of t: pass *pos = 0 first; NULL when done. Costs
 * t's own indexes, not a walk of every index of the catalog. */
const struct mg_cat_index *mg_cat_table_index_next(const struct mg_catalog *cat,
						   const struct mg_cat_table *t,
						   size_t *pos);
/* Position of an enum label in the type, or -1. */
long mg_cat_enum_pos(const struct mg_cat_type *t, const char *label);
/* Number of tables (relations of every kind) known. */
size_t mg_cat_ntables(const struct mg_catalog *cat);

#endif
