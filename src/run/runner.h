/*
 * runner: execute up, down and mark against one database.
 *
 * A runner holds the connection's ledger and the plan (set + rows). The
 * order is always: take the runner lock (PostgreSQL), read the ledger,
 * check, prepare (parse every script to be run), and only then execute.
 * `up` is split in two calls, mg_runner_up_plan and mg_runner_up_apply, so
 * the command can run the linter on the chosen migrations in between.
 *
 * Guarantees (docs/commands/migrate-up.md):
 *  - a transactional migration and its ledger write commit together;
 *  - a no-transaction migration writes a dirty `running` row before its
 *    first statement and its progress after each one;
 *  - SQLite: each migration runs in BEGIN IMMEDIATE and re-reads its
 *    ledger row inside, so concurrent runners never apply it twice;
 *  - on SIGINT/SIGTERM the running statement is cancelled, the current
 *    transactional migration rolled back, and MG_EINTERRUPTED returned.
 */
#ifndef MG_RUNNER_H
#define MG_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "../config/config.h"
#include "../core/err.h"
#include "../db/driver.h"
#include "../migset/migset.h"
#include "ledger.h"
#include "plan.h"
#include "prefetch.h"
#include "script.h"

struct mg_runner {
	const struct mg_config *cfg;  /* borrowed */
	const struct mg_migset *set;  /* borrowed */
	struct mg_db *db;             /* borrowed */
	struct mg_ledger ledger;
	struct mg_ledger_rows rows;
	struct mg_plan plan;
	FILE *out;                    /* progress and --dry-run SQL (stdout) */
	FILE *errf;                   /* notices (stderr) */
	char *applied_by;             /* owned; user@host */
	bool locked;                  /* the runner lock is held */
};

struct mg_up_opts {
	const char *to;            /* apply up to this version (inclusive) */
	bool dry_run;              /* print the SQL, change nothing */
	bool single_tx;            /* all pending in one transaction */
	bool resume;               /* continue a dirty no-transaction migration */
	bool allow_drift, allow_missing, allow_out_of_order;
	const char *backup;        /* SQLite: back up here first (NULL: none) */
};

/* What `up` will apply, chosen and parsed by mg_runner_up_plan. */
struct mg_up_job {
	size_t *migs;              /* owned; indexes into the set, in order */
	struct mg_stmts *stmts;    /* owned; the parsed up script of each */
	size_t n;
	long resume_row;           /* ledger row resumed (first of migs), or -1 */
};

struct mg_down_opts {
	long steps;                /* how many to roll back (default 1) */
	const char *to;            /* or: roll back everything newer than this */
	bool dry_run;
	bool allow_drift;
};

/* Set up r: the ledger (schema, columns), the runner lock when `lock`,
 * then one read of the ledger and the plan. r is always initialised;
 * mg_runner_close it either way. */
int mg_runner_open(struct mg_runner *r, const struct mg_config *cfg,
		   const struct mg_migset *set, struct mg_db *db, bool lock,
		   struct mg_err *err);
/* mg_runner_open without the lock, from the ledger a prefetch read on db
 * (prefetch.h; joined, connected, db taken from it): takes its ledger and
 * rows, or returns its ledger error. */
int mg_runner_open_prefetched(struct mg_runner *r, const struct mg_config *cfg,
			      const struct mg_migset *set, struct mg_db *db,
			      struct mg_prefetch *p, struct mg_err *err);
/* Release the lock and everything r owns (not the db). */
void mg_runner_close(struct mg_runner *r);

/* Check the plan (dirty, drift, missing, out of order: MG_EREFUSED unless
 * allowed), choose the migrations to apply and parse each one
 * (MG_EINPUT, positioned, on a syntax error). Nothing is executed. */
int mg_runner_up_plan(struct mg_runner *r, const struct mg_up_opts *o,
		      struct mg_up_job *job, struct mg_err *err);
/* Apply job (or print it with o->dry_run). Prints one line per migration
 * and a summary on r->out. */
int mg_runner_up_apply(struct mg_runner *r, const struct mg_up_opts *o,
		       struct mg_up_job *job, struct mg_err *err);
void mg_up_job_release(struct mg_up_job *job);

/* Roll back (newest applied first). */
int mg_runner_down(struct mg_runner *r, const struct mg_down_opts *o,
		   struct mg_err *err);
/* Repair the ledger: applied = record version as applied with the file's
 * current checksum (clearing dirty); !applied = delete its row. */
int mg_runner_mark(struct mg_runner *r, const char *version, bool applied,
		   struct mg_err *err);

/* The plan item index for version (by value), or -1. */
long mg_runner_find(const struct mg_runner *r, const char *version);

#endif
