/*
 * lint: the public entry points of the linter.
 *
 * mg_lint_paths lints what `migrate lint PATH...` names: files,
 * directories (a migrations directory in any layout, or any folder of .sql
 * files taken in natural version order) and standard input ("-"). Context
 * is carried in order within a directory: each script is linted against
 * the schema the earlier ones built. Files given alone that live in a
 * migrations directory (pre-commit passes just the changed ones) get the
 * context of every earlier migration there, replayed silently. Independent
 * directories are linted in parallel threads, and CPUs left over parse
 * the scripts of a directory ahead of its (sequential) walk; the output
 * order is the order of the arguments and does not depend on threads.
 *
 * mg_lint_gate is what `migrate up` calls before executing anything.
 */
#ifndef MG_LINT_H
#define MG_LINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "../report/report.h"
#include "rule.h"

struct mg_migset;
struct mg_config;

struct mg_lint_rule_setting {
	char *id;                /* owned: a rule id or configurable engine id */
	enum mg_severity sev;    /* MG_SEV_OFF disables it */
};

struct mg_lint_opts {
	enum mg_lint_dialect dialect;          /* default MG_LINT_POSTGRES */
	int pg_version;                   /* target major version, default 15 */
	enum mg_severity fail_on;         /* exit 1 at or above it; default
					     MG_SEV_ERROR; MG_SEV_OFF = never */
	struct mg_lint_rule_setting *rules; /* owned; later entries win */
	size_t nrules, caprules;
	char **exclude;                   /* owned globs (fnmatch) */
	size_t nexclude, capexclude;
	char **only;                      /* owned rule ids: run only these
					     rules (engine diagnostics stay) */
	size_t nonly, caponly;
	char *stdin_filename;             /* owned: name for "-", or NULL */
	char *filename_pattern;           /* owned: the config's file-name
					     pattern for migration sets, or NULL */
	bool no_downs;                    /* skip downgrade scripts */
	int jobs;                         /* threads; 0 = one per CPU */
};

/* Defaults (postgres, 15, fail on error, every rule at its default). */
void mg_lint_opts_init(struct mg_lint_opts *o);
void mg_lint_opts_release(struct mg_lint_opts *o);
/* Set a rule's severity by id. MG_EUSAGE (id "unknown-rule", with a
 * did-you-mean hint) if id names no rule. */
int mg_lint_opts_set(struct mg_lint_opts *o, const char *id,
		     enum mg_severity sev, struct mg_err *err);
/* Parse "ID=off|info|warning|error" (as --rule takes it) and set it. */
int mg_lint_opts_rule(struct mg_lint_opts *o, const char *spec, struct mg_err *err);
void mg_lint_opts_exclude(struct mg_lint_opts *o, const char *glob);
/* Run only rule id (repeatable). MG_EUSAGE for an unknown id. */
int mg_lint_opts_only(struct mg_lint_opts *o, const char *id, struct mg_err *err);
/* Apply a loaded configuration (config/config.h): its "lint" object
 * (rules, pg_version, exclude, fail_on), its dialect (or that of its
 * database URL) and its file-name pattern. Call after mg_lint_opts_init and
 * before command-line settings. MG_ECONFIG when lint.rules names no rule. */
int mg_lint_opts_from_config(struct mg_lint_opts *o, const struct mg_config *cfg,
			     struct mg_err *err);
/* "postgres"/"postgresql"/"pg" or "sqlite"/"sqlite3"; -1 if neither. */
int mg_lint_dialect_parse(const char *s);

struct mg_lint_result {
	struct mg_diags diags;          /* in output order */
	struct mg_report_summary sum;
	bool input_error;               /* unreadable input, syntax error,
					   unknown rule id: exit 2 */
};

/*
 * Lint paths[0..npaths): files, directories, "-" (standard input). Every
 * problem with the input is a diagnostic in res (and sets input_error);
 * the return is 0, or negative only for a usage error (none so far).
 * res is filled in any case; release it with mg_lint_result_release.
 */
int mg_lint_paths(const char *const *paths, size_t npaths,
		  const struct mg_lint_opts *o, struct mg_lint_result *res,
		  struct mg_err *err);
/* Lint one in-memory text as a whole script named `name` (a downgrade if
 * is_down). For tests and fuzzers; text is copied. */
void mg_lint_string(const char *name, const char *text, size_t len,
		    bool is_down, const struct mg_lint_opts *o,
		    struct mg_lint_result *res);
void mg_lint_result_release(struct mg_lint_result *r);

/* Drop the findings the baseline file lists (counted in sum.baselined).
 * MG_EIO / MG_EINPUT if the file cannot be read. */
int mg_lint_apply_baseline(struct mg_lint_result *r, const char *path,
			   struct mg_err *err);

/* 2 on input_error, else 1 if a finding is at or above o->fail_on, else 0. */
int mg_lint_exit_code(const struct mg_lint_result *r, const struct mg_lint_opts *o);

/*
 * The gate `migrate up` runs before executing: lint the up scripts of
 * set->items[i] for which pending[i] is true (pending may be NULL: none),
 * each with the context of every earlier migration (replayed silently,
 * whether applied or not, in version order). Findings at warning and error
 * level are printed to out (may be NULL) in the text format, with colour if
 * `color`; infos are not. Rule settings come from opts (NULL: defaults;
 * mg_lint_opts_from_config builds them from the configuration); its
 * fail_on is ignored: errors are what block.
 *
 * Returns 0 when nothing blocks; MG_EREFUSED (exit 1, err id
 * "lint-refused", positioned at the first blocking finding, with a hint)
 * when an error-level finding remains that is neither suppressed in its
 * file (-- migrate:lint-ignore RULE -- reason) nor allowed with
 * allow[0..nallow) (rule ids, as given by `migrate up --allow RULE`);
 * MG_EINPUT (exit 2, "lint-input-error") when a pending script has a
 * syntax error or an unknown rule id in a directive; MG_EUSAGE (exit 2,
 * "unknown-rule", with a did-you-mean) when an allow entry names no rule.
 *
 * Typical use in cmd_up.c, after planning and before executing:
 *
 *   struct mg_lint_opts lo;
 *   mg_lint_opts_init(&lo);
 *   rc = mg_lint_opts_from_config(&lo, &ctx.cfg, &err);
 *   if (!rc)
 *           rc = mg_lint_gate_list(&ctx.set, job.migs, job.n, &lo,
 *                                  allow, nallow, stderr,
 *                                  isatty(2) && !getenv("NO_COLOR"), &err);
 *   mg_lint_opts_release(&lo);
 */
int mg_lint_gate(const struct mg_migset *set, const bool *pending,
		 const struct mg_lint_opts *opts, const char *const *allow,
		 size_t nallow, FILE *out, bool color, struct mg_err *err);

/* mg_lint_gate for the migrations set->items[migs[0..n)] (indexes, as
 * the runner's plan lists the pending ones). */
int mg_lint_gate_list(const struct mg_migset *set, const size_t *migs, size_t n,
		      const struct mg_lint_opts *opts, const char *const *allow,
		      size_t nallow, FILE *out, bool color, struct mg_err *err);

#endif
