/*
 * prefetch: connect and read the ledger on a thread of its own while the
 * caller reads the migration set (`migrate status`: the two are
 * independent, and on a large set each takes tens of milliseconds).
 *
 * The thread does exactly what the caller would have done next, in the
 * same order (mg_db_open, mg_ledger_init, mg_ledger_read), and keeps each
 * step's error; the caller reports them after its own, so the first error
 * printed is the one a sequential run would print. Read-only callers
 * only: nothing here writes to the database. One prefetch at a time per
 * process (mg_prefetch_abandon stops a lock wait through a process-wide
 * flag).
 */
#ifndef MG_PREFETCH_H
#define MG_PREFETCH_H

#include <pthread.h>
#include <stdbool.h>

#include "../core/err.h"
#include "../db/driver.h"
#include "ledger.h"

struct mg_prefetch {
	/* inputs (borrowed; they must outlive the join) */
	const struct mg_dburl *url;
	struct mg_db_opts opts;
	const char *schema, *table;
	/* results, valid after mg_prefetch_join */
	struct mg_db *db;            /* owned until taken */
	int open_rc;                 /* mg_db_open's result */
	struct mg_err open_err;
	int ledger_rc;               /* mg_ledger_init + mg_ledger_read */
	struct mg_err ledger_err;
	struct mg_ledger ledger;     /* owned until taken */
	struct mg_ledger_rows rows;  /* owned until taken */
	/* the thread */
	pthread_t th;
	bool joined;                 /* no thread to wait for (any more) */
};

/* Start connecting to url (opts as for mg_db_open; opts->stop is still
 * polled) and reading the ledger schema.table. If no thread can be
 * started the work is done here, before returning. */
void mg_prefetch_start(struct mg_prefetch *p, const struct mg_dburl *url,
		       const struct mg_db_opts *opts, const char *schema,
		       const char *table);
/* Wait for the thread. Idempotent. */
void mg_prefetch_join(struct mg_prefetch *p);
/* The caller no longer wants the result: end a lock wait early, join and
 * release everything. */
void mg_prefetch_abandon(struct mg_prefetch *p);
/* Close the connection (unless taken) and release everything. Joins. */
void mg_prefetch_release(struct mg_prefetch *p);

#endif
