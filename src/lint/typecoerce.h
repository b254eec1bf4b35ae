/*
 * typecoerce: column types, and what ALTER COLUMN ... TYPE costs.
 *
 * PostgreSQL skips the table rewrite (and the index rebuild) when the old
 * type is binary-coercible to the new one and the new type modifier accepts
 * every old value: varchar(n) -> varchar(m >= n), varchar -> text,
 * numeric(p,s) -> numeric(q >= p, s), bit varying widening, cidr -> inet,
 * and (PostgreSQL 12+, only when the session TimeZone is UTC)
 * timestamp <-> timestamptz. Anything else rewrites the table under an
 * ACCESS EXCLUSIVE lock. This module knows those rules for the built-in
 * types; it answers UNKNOWN for what it cannot judge (user types, domains),
 * which rules treat as a rewrite.
 */
#ifndef MG_TYPECOERCE_H
#define MG_TYPECOERCE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* A column type, canonicalised: built-in names as in pg_type ("int4",
 * "int8", "varchar", "bpchar", "numeric", "timestamptz", "bool", "float8",
 * "text", ...), whether written `integer`, `int4` or `pg_catalog.int4`.
 * Fixed-size so it copies freely. */
struct mg_type {
	char schema[64];   /* "" for built-in or unqualified types */
	char name[64];     /* canonical name; "" when unknown */
	int mods[2];       /* type modifiers as written: varchar(20) -> {20} */
	int nmods;         /* 0 when none (unbounded) */
	int array_dims;    /* int[] -> 1 */
	bool serial;       /* written serial / bigserial / smallserial */
};

enum mg_coerce {
	MG_COERCE_SAME = 0,     /* nothing changes */
	MG_COERCE_BINARY,       /* binary-coercible: catalog-only, no rewrite */
	MG_COERCE_DEPENDS,      /* binary only under a condition (*why says
				   which, e.g. TimeZone = UTC) */
	MG_COERCE_REWRITE,      /* the table (and its indexes) are rewritten */
	MG_COERCE_UNKNOWN       /* not judged: assume a rewrite */
};

/* Read a TypeName node ({"names":[...],"typmods":[...],...}, or its
 * {"TypeName":{...}} wrapper) into out. False if it is not one. */
bool mg_type_from_node(const cJSON *typename_node, struct mg_type *out);
/* Canonical name for a type name as written ("integer" -> "int4",
 * "character varying" -> "varchar", "bigserial" -> "int8"). */
const char *mg_type_canonical(const char *name);
/* The type for people: "varchar(20)", "integer", "numeric(10,2)",
 * "text[]", "public.mood". Returns buf. */
char *mg_type_format(const struct mg_type *t, char *buf, size_t size);
/* Same type and modifiers. */
bool mg_type_equal(const struct mg_type *a, const struct mg_type *b);
/* Is t one of the built-in types this module knows? */
bool mg_type_is_builtin(const struct mg_type *t);

/* What changing a column from `from` to `to` costs on PostgreSQL
 * pg_version. *why (may be NULL) gets a short static explanation, e.g.
 * "varchar(20) -> varchar(50) only raises the length limit". */
enum mg_coerce mg_type_coerce(const struct mg_type *from, const struct mg_type *to,
			      int pg_version, const char **why);

#endif
