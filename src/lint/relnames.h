/*
 * relnames: helpers for the rules about dropped and renamed relations
 * (drop-table, drop-view, drop-sequence, drop-function, rename-table,
 * rename-view): name comparison with the default schema, the lock a
 * statement takes on a relation, the tokens of the n-th name of a DROP,
 * and "is the name defined again in this script".
 */
#ifndef MG_LINT_RELNAMES_H
#define MG_LINT_RELNAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "rule.h"

/* s, or "public" when s is NULL or empty. */
const char *mg_rel_schema(const char *s);
/* schema1.name1 and schema2.name2 name the same relation (NULL names never
 * match; a missing schema is public). */
bool mg_rel_same(const char *s1, const char *n1, const char *s2,
		 const char *n2);
/* The RangeVar rv names schema.name. */
bool mg_rv_is(const cJSON *rv, const char *schema, const char *name);
/* The lock st takes on schema.name, if any. */
bool mg_lint_lock_on(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		     const char *schema, const char *name, struct mg_lock *out);
/* Token span [*first, *last] of the idx-th name (0-based) of a DROP's name
 * list starting at token i (top-level commas; the list ends at ';',
 * CASCADE or RESTRICT; parentheses, as in function signatures, nest). */
bool mg_drop_name_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t i, size_t idx, size_t *first, size_t *last);

/* The relation a statement defines, or (with *newname set) the relation a
 * rename gives a new name; NULL when it does neither. */
typedef const cJSON *(*mg_rel_defines_fn)(const struct mg_lint_stmt *s,
					  const char **newname);
/* A statement after `from` in this script defines schema.name again. */
bool mg_rel_replaced_later(struct mg_lint_ctx *ctx, size_t from,
			   const char *schema, const char *name,
			   mg_rel_defines_fn defines);
/* schema.name got its name from a rename before `upto` in this script and
 * the renamed relation is new in it (a swap). */
bool mg_rel_swapped_in_script(struct mg_lint_ctx *ctx, size_t upto,
			      const char *schema, const char *name,
			      mg_rel_defines_fn defines);

#endif
