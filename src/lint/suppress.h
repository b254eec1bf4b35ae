/*
 * suppress: the lint-ignore directives of one script.
 *
 *   -- migrate:lint-ignore RULE[, RULE] -- reason       the next statement
 *   -- migrate:lint-ignore-file RULE[, RULE] -- reason  the whole script
 *
 * (parsed by sql/directive.c). This module resolves each rule id of each
 * directive into an entry that knows its target statement, matches
 * findings against the entries, and remembers which entries were used so
 * the engine can report the ones that suppressed nothing (unused-ignore),
 * ids that name no rule (unknown-rule) and directives without a reason
 * (ignore-without-reason).
 */
#ifndef MG_SUPPRESS_H
#define MG_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../sql/directive.h"

#define MG_SUPPRESS_FILE SIZE_MAX   /* entry target: the whole script */
#define MG_SUPPRESS_NOWHERE (SIZE_MAX - 1) /* no statement follows it */

struct mg_suppress_entry {
	const struct mg_directive *dir; /* borrowed */
	const char *rule;          /* borrowed from dir */
	size_t rule_off;           /* file offset of the id */
	size_t stmt;               /* target statement index, MG_SUPPRESS_FILE
				      or MG_SUPPRESS_NOWHERE */
	bool known;                /* the id names a rule or engine diagnostic */
	bool used;                 /* it suppressed at least one finding */
};

struct mg_suppress {
	struct mg_suppress_entry *v;
	size_t n, cap;
};

/* Collect the lint-ignore directives of dirs that lie in [off, end).
 * stmt_offs[0..nstmts) are the statements' start offsets, ascending. */
void mg_suppress_build(struct mg_suppress *s, const struct mg_directives *dirs,
		       size_t off, size_t end, const size_t *stmt_offs,
		       size_t nstmts);
/* True (and the entry marked used) if a finding of rule on statement
 * stmt_index (SIZE_MAX: none) is suppressed. */
bool mg_suppress_match(struct mg_suppress *s, const char *rule, size_t stmt_index);
void mg_suppress_release(struct mg_suppress *s);

#endif
