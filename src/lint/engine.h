/*
 * engine: lints scripts one after another against one schema catalog.
 *
 * An engine is the sequential part of linting: one per directory of
 * migrations (or per group of unrelated files), used by one thread. For
 * each script it parses the text (mg_pg_parse), works out which statements
 * run inside a transaction, dispatches every statement to the enabled
 * rules (rule.h), applies it to the catalog, applies the script's
 * lint-ignore directives (suppress.h), and appends the findings, with
 * their final positions, to a list of mg_diag.
 *
 * A downgrade is linted against a scratch copy of the catalog, so the
 * state carried to the next migration is the one after its upgrade; the
 * objects that upgrade created are known (MG_ORIGIN_UPGRADE) so dropping
 * them is reported as expected.
 */
#ifndef MG_ENGINE_H
#define MG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "../report/report.h"
#include "../sql/directive.h"
#include "../sql/source.h"
#include "rule.h"

struct mg_lint_opts;  /* lint.h */
struct mg_catalog;
struct mg_engine;     /* opaque */

/* One script to lint: a byte range of a loaded source. */
struct mg_script_in {
	const struct mg_source *src;
	size_t off, end;               /* the script: src->text[off, end) */
	const char *path;              /* as displayed; NULL = src->path */
	bool no_tx;                    /* the runner does not wrap it in a
					  transaction */
	bool is_down;                  /* a downgrade */
	bool after_up;                 /* (downgrade) the matching upgrade is
					  the script this engine saw last */
	const struct mg_directives *dirs; /* its directives (borrowed), or
					  NULL to scan them here */
	bool silent;                   /* replay into the catalog only: no
					  rules, no findings, no counts */
	/* optional: called for every statement after the rules ran on it and
	 * before it is applied to the catalog, with the same context rules
	 * get (tests and tools inspect transactions, locks and origins) */
	void (*visit)(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      void *arg);
	void *visit_arg;
	/* optional: src->text[off, end) already parsed by mg_pg_parse (by a
	 * parse-ahead thread); the engine takes the result over (releases it
	 * and leaves *parsed empty) instead of parsing the text itself. Not
	 * for scripts over MG_ENGINE_WINDOW_BYTES, which the engine splits
	 * into windows (a result given for one is released unused). */
	struct mg_parse *parsed;
};

/* Scripts longer than this are split by the scanner first and, with many
 * statements, parsed and walked a window at a time. */
#define MG_ENGINE_WINDOW_BYTES ((size_t)256 << 10)

/* New engine for opts (borrowed; must outlive the engine). */
struct mg_engine *mg_engine_new(const struct mg_lint_opts *opts);
void mg_engine_free(struct mg_engine *e);

/*
 * Lint (or silently replay) one script, appending findings to out and
 * counts to sum (files, statements, and per severity). Returns 0, or
 * MG_EINPUT when the script has an input problem (a syntax error, an
 * unknown directive or rule id): those are reported as diagnostics too.
 */
int mg_engine_script(struct mg_engine *e, const struct mg_script_in *in,
		     struct mg_diags *out, struct mg_report_summary *sum);

/* The catalog as replayed so far (borrowed). */
const struct mg_catalog *mg_engine_catalog(const struct mg_engine *e);

/* The configured severity of a rule or engine diagnostic under opts
 * (MG_SEV_OFF when disabled). */
enum mg_severity mg_engine_severity(const struct mg_lint_opts *opts,
				    const char *id, enum mg_severity dflt);

/* Build a diagnostic at [off, off+len) of src (statement span [soff, send)
 * for end_line/end_column, or soff == send for none). Used for engine and
 * input-error diagnostics; the strings are copied. */
void mg_engine_make_diag(struct mg_diag *d, const struct mg_source *src,
			 const char *path, size_t off, size_t len,
			 size_t soff, size_t send, const char *rule,
			 enum mg_severity sev, const char *msg, const char *help);

#endif
