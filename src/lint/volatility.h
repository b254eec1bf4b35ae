/*
 * volatility: how often an expression's value can change, offline.
 *
 * PostgreSQL 11+ stores a non-volatile ADD COLUMN default in the catalog
 * (no rewrite) but must compute a volatile one for every row (a rewrite
 * under ACCESS EXCLUSIVE). This module has a built-in table of the usual
 * built-in functions' volatility (pg_proc.provolatile) and reads the
 * declared volatility of functions created by earlier migrations from the
 * catalog.
 *
 * Decision for functions it does not know (user-defined functions created
 * outside the migrations, extensions): VOLATILE, the safe assumption, with
 * `unknown` set so messages can say "unknown function f()" instead of
 * claiming that f is volatile.
 */
#ifndef MG_VOLATILITY_H
#define MG_VOLATILITY_H

#include <stdbool.h>

#include <cjson/cJSON.h>

enum mg_volatility {
	MG_VOL_IMMUTABLE = 1,
	MG_VOL_STABLE = 2,
	MG_VOL_VOLATILE = 3
};

struct mg_catalog;

struct mg_vol_result {
	enum mg_volatility vol; /* the worst volatility found */
	bool unknown;           /* decided by a function nobody knows */
	char func[128];         /* the function that decided it ("" if none) */
};

/* Volatility of a built-in function by name (schema NULL, "" or
 * "pg_catalog"); *known (may be NULL) says whether it is in the table.
 * Unknown functions are VOLATILE. */
enum mg_volatility mg_volatility_builtin(const char *schema, const char *name,
					 bool *known);
/* Worst volatility of an expression tree (a default, a USING clause):
 * function calls (built-in table, then functions in cat, which may be
 * NULL), CURRENT_TIMESTAMP and friends (stable), nextval (volatile),
 * sub-selects (volatile). Constants and casts of constants are immutable. */
void mg_volatility_expr(const struct mg_catalog *cat, const cJSON *expr,
			struct mg_vol_result *out);
const char *mg_volatility_name(enum mg_volatility v); /* "volatile", ... */

#endif
