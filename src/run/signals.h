/*
 * signals: SIGINT/SIGTERM during `migrate up` / `down`.
 *
 * The first signal records itself and cancels the statement running on the
 * registered connection (PQcancel / sqlite3_interrupt, both safe in a
 * handler); the runner then sees mg_signals_pending(), rolls back the
 * current transactional migration, releases the runner lock, reports what
 * ran and what did not, and exits 3. A second signal kills the process at
 * once (default action); PostgreSQL then rolls back the open transaction
 * and frees the advisory lock when the session ends, and SQLite rolls back
 * from its journal on the next open.
 */
#ifndef MG_SIGNALS_H
#define MG_SIGNALS_H

#include <stdbool.h>

#include "../db/driver.h"

/* Install the handlers (idempotent). */
void mg_signals_install(void);
/* The connection whose statement a signal cancels (NULL: none). */
void mg_signals_set_db(struct mg_db *db);
/* A signal has arrived. */
bool mg_signals_pending(void);
/* Its number (SIGINT, SIGTERM) or 0. */
int mg_signals_which(void);
/* Restore the previous handlers. */
void mg_signals_restore(void);

#endif
