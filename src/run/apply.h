/*
 * apply: run one migration script (or a batch) with its ledger writes.
 *
 * Used by runner.c for up and down. Transactional scripts run inside one
 * transaction with their ledger write, retried from the start after a lock
 * timeout (SQLSTATE 55P03) up to lock_retries times with exponential
 * backoff. No-transaction scripts run statement by statement in autocommit
 * mode behind a dirty ledger row that records progress; a statement that
 * hits a lock timeout is retried alone. With dry_run every step is printed
 * instead (SQL with parameters inline) and nothing is sent.
 */
#ifndef MG_APPLY_H
#define MG_APPLY_H

#include <stdbool.h>

#include "runner.h"

struct mg_apply {
	const struct mg_migration *m;  /* borrowed */
	const struct mg_stmts *st;     /* borrowed; the script's statements */
	bool up;                       /* up (record) or down (delete row) */
	const char *version;           /* the version to record / delete */
	bool resume;                   /* up: continue a dirty row */
	long start;                    /* resume: first statement to run */
	long ms;                       /* out: duration in milliseconds */
	bool env_fault;                /* out: failed because of the file system
					  (read-only, full, I/O), not the SQL */
	bool skipped;                  /* out: SQLite found it already done by
					  another runner */
};

/* Run a in one transaction with its ledger write. */
int mg_apply_tx(struct mg_runner *r, struct mg_apply *a, bool dry_run,
		struct mg_err *err);
/* Run a statement by statement outside a transaction. */
int mg_apply_notx(struct mg_runner *r, struct mg_apply *a, bool dry_run,
		  struct mg_err *err);
/* Run every item of v (all transactional, up) in one transaction. */
int mg_apply_batch(struct mg_runner *r, struct mg_apply *v, size_t n,
		   bool dry_run, struct mg_err *err);

/* When the last database call failed because of the environment rather
 * than the SQL (SQLite: read-only file or directory, disk full, I/O
 * error), set err's hint to say so, with `done` (what became of the work)
 * and how to go on ('migrate VERB' again), and return true. */
bool mg_apply_env_hint(struct mg_runner *r, struct mg_err *err, const char *done,
		       const char *verb);

/* The dirty-state report for a row left by a failed or interrupted
 * no-transaction migration: fills err (MG_EREFUSED, "dirty-migration")
 * with the statement, its position, what it may have left behind and how
 * to go on. st may be NULL when the file is gone or does not parse. */
int mg_apply_dirty_error(struct mg_runner *r, const struct mg_ledger_row *row,
			 const struct mg_migration *m, const struct mg_stmts *st,
			 struct mg_err *err);

#endif
