/*
 * rule: the contract between the lint engine and one rule.
 *
 * A rule is one file src/lint/rules/<id>.c exporting
 *     const struct mg_rule mg_rule_<id with '-' as '_'>;
 * plus rules/<id>.json (metadata, embedded at build time) and
 * docs/rules/<id>.md (examples that the tests run). CMake generates the
 * registry `mg_rules[]` from the file names, sorted by id.
 *
 * The engine walks each script once. For every statement it calls, in
 * registry order, each enabled rule whose `kinds` lists the statement's node
 * name (or every rule with kinds == NULL), then applies the statement to the
 * schema catalog. So while a rule runs, the catalog shows the schema BEFORE
 * the statement. Statements the PostgreSQL 15 grammar cannot parse go to
 * `check_tokens` instead (tree == NULL, tokens set).
 *
 * Rules never print and never allocate memory they keep: they call
 * mg_lint_report, whose text the engine copies.
 */
#ifndef MG_RULE_H
#define MG_RULE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "sql/pgparse.h"
#include "sql/pgscan.h"

enum mg_severity {
	MG_SEV_OFF = 0,
	MG_SEV_INFO = 1,
	MG_SEV_WARNING = 2,
	MG_SEV_ERROR = 3
};

enum mg_dialect {
	MG_DIALECT_POSTGRES = 1,
	MG_DIALECT_SQLITE = 2
};

struct mg_lint_ctx; /* opaque to rules: engine.c */

struct mg_lint_stmt {
	const struct mg_stmt *stmt;    /* span (file offsets), raw tree, kind */
	const cJSON *node;             /* the statement node (unwrapped), or NULL */
	const char *kind;              /* "AlterTableStmt", ...; NULL if unparsed */
	size_t index;                  /* 0-based position in the script */
	bool in_txn;                   /* runs inside a transaction block */
	const struct mg_token *tokens; /* scanner tokens; set for unparsed ones */
	size_t ntokens;
};

struct mg_rule {
	const char *id;                     /* kebab-case, = file name */
	enum mg_severity default_severity;
	unsigned dialects;                  /* MG_DIALECT_* bits */
	const char *const *kinds;           /* NULL-terminated node names, or NULL */
	void (*check)(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st);
	/* optional: for statements the parser could not parse */
	void (*check_tokens)(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st);
	/* optional: after the last statement of a script */
	void (*script_end)(struct mg_lint_ctx *ctx);
};

/* Embedded rules/<id>.json texts (generated). */
struct mg_rule_meta_text {
	const char *id;
	const char *json;
};
extern const struct mg_rule_meta_text mg_rule_meta_texts[];
extern const struct mg_rule *const mg_rules[];

/* ---- what a rule may call ------------------------------------------------ */

/* Report a finding of the calling rule at file offset off (length len, 0 for
 * one token). The message says what is wrong, specifically (name the table
 * and column); the engine adds the rule's help, lock and safe alternative. */
void mg_lint_report(struct mg_lint_ctx *ctx, size_t off, size_t len,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Same, positioned at a tree node's "location" (falls back to the
 * statement start when the node has none). */
void mg_lint_report_node(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const cJSON *node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* File offset of a node's "location" within st, or st->stmt->off. */
size_t mg_lint_node_off(const struct mg_lint_stmt *st, const cJSON *node);
/* The source text, for token checks. */
const char *mg_lint_text(const struct mg_lint_ctx *ctx);

int mg_lint_pg_version(const struct mg_lint_ctx *ctx);   /* e.g. 15 */
enum mg_dialect mg_lint_dialect(const struct mg_lint_ctx *ctx);
bool mg_lint_is_down(const struct mg_lint_ctx *ctx);     /* a downgrade script */

/* Per-script scratch memory for the calling rule: `size` zeroed bytes the
 * first time in each script, the same pointer afterwards. */
void *mg_lint_state(struct mg_lint_ctx *ctx, size_t size);

#endif
