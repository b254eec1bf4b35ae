/*
 * directive: `-- migrate:NAME [ARGS]` comments in migration files.
 *
 * The grammar is in grammar/directives.ebnf and docs/directives.md. A
 * directive is a `--` comment that starts a line (after blanks) outside any
 * string, quoted identifier, dollar-quoted body or block comment. An unknown
 * NAME is an error (never silently ignored).
 */
#ifndef MG_DIRECTIVE_H
#define MG_DIRECTIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"
#include "source.h"

enum mg_directive_kind {
	MG_DIR_UP,               /* -- migrate:up [transaction:false] */
	MG_DIR_DOWN,             /* -- migrate:down [transaction:false] */
	MG_DIR_NO_TRANSACTION,   /* -- migrate:no-transaction */
	MG_DIR_DESCRIPTION,      /* -- migrate:description TEXT */
	MG_DIR_LINT_IGNORE,      /* -- migrate:lint-ignore RULE[, RULE] [-- reason] */
	MG_DIR_LINT_IGNORE_FILE  /* -- migrate:lint-ignore-file RULE[, RULE] [-- reason] */
};

struct mg_directive {
	enum mg_directive_kind kind;
	size_t off;       /* offset of the "--" */
	size_t end;       /* offset just past the line (after '\n' if any) */
	size_t name_off;  /* offset of NAME (after "migrate:") */
	bool no_tx;       /* up/down with transaction:false */
	char *text;       /* owned: description text, or NULL */
	char **rules;     /* owned: lint-ignore rule ids */
	size_t *rule_offs;/* offset of each rule id */
	size_t nrules;
	char *reason;     /* owned: lint-ignore reason, or NULL when missing */
};

struct mg_directives {
	struct mg_directive *items;
	size_t n, cap;
};

/* Scan src->text[start, end) for directives, appending to out (which may
 * already hold some). MG_EINPUT, positioned, for an unknown or malformed
 * directive; then out is released (emptied), whatever it held. */
int mg_directives_scan(const struct mg_source *src, size_t start, size_t end,
		       struct mg_directives *out, struct mg_err *err);
void mg_directives_release(struct mg_directives *d);

/* The names, in grammar order, for help and "did you mean" hints. */
extern const char *const mg_directive_names[];

/*
 * Lexer state helper shared with other scanners: advance over one lexical
 * element of SQL at s[i] (string, quoted identifier, dollar body, comment)
 * and return the offset after it, or i+1 for any other byte. Unterminated
 * elements run to n.
 */
size_t mg_sql_skip_element(const char *s, size_t i, size_t n);

#endif
