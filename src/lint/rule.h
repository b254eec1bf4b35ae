/*
 * rule: the contract between the lint engine and one rule.
 *
 * A rule is one file src/lint/rules/<id>.c exporting
 *     const struct mg_rule mg_rule_<id with '-' as '_'>;
 * plus rules/<id>.json (metadata, embedded at build time) and
 * docs/rules/<id>.md (examples that the tests run). CMake generates the
 * registry `mg_rules[]` from the file names, sorted by id. The how-to, with
 * a complete example, is docs/internals/engine.md.
 *
 * The engine walks each script once. For every statement it calls, in
 * registry order, each enabled rule whose `kinds` lists the statement's node
 * name (or every rule with kinds == NULL), then applies the statement to the
 * schema catalog. So while a rule runs, the catalog shows the schema BEFORE
 * the statement. Statements the PostgreSQL 15 grammar cannot parse go to
 * `check_tokens` instead (node == NULL, kind == NULL; tokens set).
 *
 * Rules never print, never keep memory and never need to free anything:
 * they call mg_lint_report*, whose text the engine copies. Every pointer a
 * rule gets from the engine (nodes, catalog objects, tokens) is borrowed and
 * valid during the callback only. Trees come from untrusted input: every
 * accessor below (and mg_node_* in sql/pgparse.h) accepts NULL and odd
 * shapes and answers NULL / 0 / false, so rules can chain them unguarded.
 *
 * Positions are byte offsets into the file (mg_lint_text(ctx)); the engine
 * turns them into line:column when it prints.
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

/* Dialect bits for rules (not db/dburl.h's enum mg_dialect, whose values
 * are not bits): a rule's `dialects` ORs them. */
enum mg_lint_dialect {
	MG_LINT_POSTGRES = 1,
	MG_LINT_SQLITE = 2
};
#define MG_LINT_ALL_DIALECTS (MG_LINT_POSTGRES | MG_LINT_SQLITE)

/* Where a schema object comes from, as seen by the script being linted. */
enum mg_origin {
	MG_ORIGIN_NONE = 0,     /* not applicable (report options: no drop) */
	MG_ORIGIN_UNKNOWN = 1,  /* not in the catalog: treat as existing and
				   populated (absence never proves anything) */
	MG_ORIGIN_EXISTING = 2, /* created by an earlier migration */
	MG_ORIGIN_NEW = 3,      /* created earlier in THIS script: nobody else
				   sees it yet and it is empty, so operations
				   on it are safe */
	MG_ORIGIN_UPGRADE = 4   /* linting a downgrade: created by the matching
				   upgrade, so dropping it is expected */
};

/* PostgreSQL table lock modes, weakest first (so they compare with <). */
enum mg_lock_mode {
	MG_LOCK_NONE = 0,
	MG_LOCK_ACCESS_SHARE,
	MG_LOCK_ROW_SHARE,
	MG_LOCK_ROW_EXCLUSIVE,
	MG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	MG_LOCK_SHARE,
	MG_LOCK_SHARE_ROW_EXCLUSIVE,
	MG_LOCK_EXCLUSIVE,
	MG_LOCK_ACCESS_EXCLUSIVE
};

/* One relation lock a statement takes. Fixed-size so it copies freely. */
struct mg_lock {
	enum mg_lock_mode mode;
	char schema[64];        /* "public" when unqualified */
	char relation[64];      /* table (or index, view) name */
	enum mg_origin origin;  /* of the relation: NEW means harmless */
	bool rewrite;           /* the statement rewrites the table */
	bool scan;              /* it reads every row while holding the lock */
};

/* A lock held by the current transaction, taken by an earlier statement. */
struct mg_txn_lock {
	struct mg_lock lock;
	size_t stmt_index;      /* the statement that took it */
	size_t off;             /* that statement's file offset */
};

struct mg_lint_ctx; /* opaque to rules: engine.c */
struct mg_catalog;  /* lint/catalog.h */
struct mg_cat_table;
struct mg_cat_column;

struct mg_lint_stmt {
	const struct mg_stmt *stmt;    /* span (file offsets), raw tree, kind */
	const cJSON *node;             /* the statement node (unwrapped), or NULL */
	const char *kind;              /* "AlterTableStmt", ...; NULL if unparsed */
	size_t index;                  /* 0-based position in the script */
	bool in_txn;                   /* runs inside a transaction block: the
					  runner's per-migration transaction or
					  an explicit BEGIN in the script */
	bool explicit_txn;             /* ... opened by BEGIN in the script */
	unsigned txn;                  /* transaction number (1, 2, ...) shared
					  by the statements of one block; 0 when
					  the statement runs on its own */
	const struct mg_token *tokens; /* scanner tokens; set for unparsed ones
					  (use mg_lint_tokens for the others) */
	size_t ntokens;
};

struct mg_rule {
	const char *id;                     /* kebab-case, = file name */
	enum mg_severity default_severity;  /* = "severity" in rules/<id>.json */
	unsigned dialects;                  /* MG_LINT_* bits */
	const char *const *kinds;           /* NULL-terminated node names, or NULL
					       for every parsed statement */
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

/* ==== what a rule may call ============================================== */

/* ---- reporting ---- */

/* Report a finding of the calling rule at file offset off, len bytes long
 * (the caret span; 0 = one token). The message says what is wrong,
 * specifically: name the table and column. The engine adds the rule's help
 * (rules/<id>.json), the lock the statement takes (mg_lint_stmt_lock) and
 * the statement's span. Findings on a statement with a matching
 * `-- migrate:lint-ignore` are dropped by the engine, not by the rule. */
void mg_lint_report(struct mg_lint_ctx *ctx, size_t off, size_t len,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Same, positioned at a tree node's "location" (falls back to the
 * statement start when the node has none); the caret covers one token. */
void mg_lint_report_node(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const cJSON *node, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Options for mg_lint_report_opt; zero-initialise, set what you need. */
struct mg_report_opt {
	enum mg_severity severity;   /* 0: the rule's configured severity. A
					severity the user set with --rule or the
					config always wins over this. */
	const struct mg_lock *lock;  /* NULL: the statement's main lock */
	bool no_lock;                /* say nothing about locks */
	const char *help;            /* NULL: the help from rules/<id>.json */
	enum mg_origin dropped;      /* the finding is about destroying an
					object of this origin. MG_ORIGIN_UPGRADE
					(in a downgrade, created by the matching
					upgrade) turns it into an info saying
					the drop is expected. */
	bool fails;                  /* the finding says the statement fails
					when it runs: the engine then does not
					also report SQLite's syntax error for
					it (SQLite-only rules' errors count as
					such without setting this) */
};
void mg_lint_report_opt(struct mg_lint_ctx *ctx, const struct mg_report_opt *o,
			size_t off, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* ---- positions and text ---- */

/* File offset of a node's "location" within st, or st->stmt->off. */
size_t mg_lint_node_off(const struct mg_lint_stmt *st, const cJSON *node);
/* The whole source text (NUL-terminated); offsets index into it. */
const char *mg_lint_text(const struct mg_lint_ctx *ctx);
/* Tokens of a statement (comments excluded), scanned on first use and
 * cached; *n gets the count (0 if the scanner failed). */
const struct mg_token *mg_lint_tokens(struct mg_lint_ctx *ctx,
				      const struct mg_lint_stmt *st, size_t *n);
/* True if the tokens of st starting at index i are the given words
 * (upper-case keywords compared case-insensitively, or "*" for any token),
 * NULL-terminated: mg_lint_tok_match(ctx, st, i, "DROP", "COLUMN", NULL). */
bool mg_lint_tok_match(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t i, ...) __attribute__((sentinel));
/* Index of the first token at index >= from that is the keyword `word`,
 * or the token count if none. */
size_t mg_lint_tok_find(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t from, const char *word);
/* A token as an identifier, the way PostgreSQL reads it: unquoted and
 * folded to lower case, or the inside of "quoted" ones. Returns buf. */
char *mg_lint_tok_ident(const struct mg_lint_ctx *ctx, const struct mg_token *t,
			char *buf, size_t size);
/* For token-level checks of ALTER TABLE (statements the 15 grammar cannot
 * parse): read "ALTER TABLE [IF EXISTS] [ONLY] [schema.]name" from the
 * start of st's tokens into schema (left as it is when not qualified) and
 * name, and set *at to the index of the name's token. False when st is
 * not an ALTER TABLE or ends before the name. */
bool mg_lint_alter_table_name(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			      size_t *at, char *schema, size_t schema_size,
			      char *name, size_t name_size);
/* Span [*off, *end) of the i-th (0-based) subcommand of an ALTER TABLE
 * (e.g. "DROP COLUMN email"), found from the text since AlterTableCmd
 * nodes carry no location. False (and the statement's span) if not found. */
bool mg_lint_cmd_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      size_t i, size_t *off, size_t *end);
/* Span of the first token at or after `from` that is `word`
 * (case-insensitive) within st; false if none. For pointing at a keyword
 * the tree omits. `from` must be a token boundary (the statement start or
 * a node's offset); strings, quoted names and comments are skipped. Cheap
 * (no scanner call), unlike mg_lint_tokens. */
bool mg_lint_word_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t from, const char *word, size_t *off, size_t *end);
/* The token of st at or after `from` (a token boundary, as for
 * mg_lint_word_span) by the same cheap lexer: [*off, *end) is a word
 * (letters, digits, '_', '$', non-ASCII bytes), a quoted string, quoted
 * name or dollar-quoted body, or any other single byte; blanks and
 * comments are skipped. False at the end of st. */
bool mg_lint_next_token(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t from, size_t *off, size_t *end);

/* ---- tree helpers (see also mg_node_* in sql/pgparse.h) ---- */

/* The sval of a {"String":{"sval":..}} node, or NULL. */
const char *mg_lint_strval(const cJSON *node);
/* The last String of a name list (["pg_catalog","int4"] -> "int4"). */
const char *mg_lint_list_last(const cJSON *list);
/* "schema.name" (or "name" when the schema is unqualified) of a RangeVar
 * node (or the RangeVar inside a wrapper), written into buf; "?" if not a
 * RangeVar. For messages. */
const char *mg_lint_rv_name(const cJSON *rangevar, char *buf, size_t size);
/* The i-th element of a JSON array (NULL when out of range / not an array). */
const cJSON *mg_lint_at(const cJSON *array, size_t i);
/* Number of elements of a JSON array (0 when not an array). */
size_t mg_lint_len(const cJSON *array);

/* ---- settings and script facts ---- */

int mg_lint_pg_version(const struct mg_lint_ctx *ctx);   /* e.g. 15 */
enum mg_lint_dialect mg_lint_dialect(const struct mg_lint_ctx *ctx);
bool mg_lint_is_down(const struct mg_lint_ctx *ctx);     /* a downgrade script */
/* The runner does not wrap this script in a transaction
 * (-- migrate:no-transaction, transaction:false, .autocommit. names...). */
bool mg_lint_script_no_tx(const struct mg_lint_ctx *ctx);
/* The script's statements, for rules that look ahead or back (i is the
 * statement's `index`). A script longer than 2000 statements and 256 KiB
 * is walked in windows of 2000 statements: then mg_lint_stmt_at answers
 * NULL outside the current window, so rules must accept NULL (and keep
 * what they need across statements in mg_lint_state). */
size_t mg_lint_nstmts(const struct mg_lint_ctx *ctx);
const struct mg_lint_stmt *mg_lint_stmt_at(const struct mg_lint_ctx *ctx, size_t i);

/* Per-script scratch memory for the calling rule: `size` zeroed bytes the
 * first time in each script, the same pointer afterwards (freed by the
 * engine; store no pointers to borrowed data in it across statements). */
void *mg_lint_state(struct mg_lint_ctx *ctx, size_t size);
/* The calling rule's state if it asked for it in this script already,
 * else NULL (allocates nothing). For rules whose state is empty until a
 * rare statement fills it: they skip the zeroing of a large state in
 * every script that has no such statement. */
void *mg_lint_state_peek(const struct mg_lint_ctx *ctx);

/* ---- schema context (lint/catalog.h has the object structs) ---- */

/* The catalog as it is before the current statement. */
const struct mg_catalog *mg_lint_catalog(const struct mg_lint_ctx *ctx);
/* The table (or view, sequence...) a RangeVar names, or NULL if unknown. */
const struct mg_cat_table *mg_lint_table(const struct mg_lint_ctx *ctx,
					 const cJSON *rangevar);
/* The table schema.name ("" or NULL schema: public), or NULL if unknown. */
const struct mg_cat_table *mg_lint_table_named(const struct mg_lint_ctx *ctx,
					       const char *schema, const char *name);
/* Origin of a table (MG_ORIGIN_UNKNOWN for NULL) and of one of its
 * columns (a column added to an existing table by this script is NEW). */
enum mg_origin mg_lint_table_origin(const struct mg_lint_ctx *ctx,
				    const struct mg_cat_table *t);
enum mg_origin mg_lint_column_origin(const struct mg_lint_ctx *ctx,
				     const struct mg_cat_table *t,
				     const struct mg_cat_column *c);
/* Origin of any catalog object from its `gen` field. */
enum mg_origin mg_lint_gen_origin(const struct mg_lint_ctx *ctx, unsigned gen);
/* Shorthand: the RangeVar's table was created earlier in this script. */
bool mg_lint_rv_is_new(const struct mg_lint_ctx *ctx, const cJSON *rangevar);

/* ---- locks and transactions ---- */

/* "ACCESS EXCLUSIVE", ... ("" for NONE). */
const char *mg_lock_mode_name(enum mg_lock_mode m);
/* What the lock blocks, for people: "reads and writes", "writes", ... */
const char *mg_lock_mode_blocks(enum mg_lock_mode m);
/* True if the two modes conflict (PostgreSQL's conflict table). */
bool mg_lock_conflicts(enum mg_lock_mode a, enum mg_lock_mode b);
/* The relation locks st takes, main relation first (at most max; returns
 * how many). Covers the common DDL and DML: ALTER TABLE (strongest
 * subcommand, per the PostgreSQL docs), CREATE/DROP INDEX [CONCURRENTLY],
 * foreign keys (both tables), DROP, TRUNCATE, RENAME, VACUUM, CLUSTER,
 * REINDEX, REFRESH, LOCK, CREATE TRIGGER, COMMENT, INSERT/UPDATE/DELETE. */
size_t mg_lint_stmt_locks(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			  struct mg_lock *out, size_t max);
/* The main lock of st; false if it takes none worth naming. */
bool mg_lint_stmt_lock(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       struct mg_lock *out);
/* Locks the current transaction already holds (taken by earlier
 * statements of the same transaction block): one entry per relation, with
 * the strongest mode so far and the statement that first took that mode
 * (stmt_index, off), so the list stays short however long the
 * transaction; *out is borrowed. */
size_t mg_lint_txn_locks(const struct mg_lint_ctx *ctx,
			 const struct mg_txn_lock **out);

#endif
