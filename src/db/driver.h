/*
 * driver: one connection to a database behind a vtable (libgit2 backends).
 *
 * Two drivers exist: driver_sqlite.c and driver_pg.c. Everything above this
 * header (ledger, runner, commands) is dialect-neutral except for the SQL
 * text that src/run/ledger.c builds per dialect. No libpq or sqlite3 type
 * appears here; each driver embeds `struct mg_db` as its first member.
 *
 * Conventions:
 *  - Every value sent to the database is a bound parameter (PQexecParams,
 *    sqlite3_bind_text); placeholders are $1.. (PostgreSQL) and ?1..
 *    (SQLite). Parameters and results are text; NULL means SQL NULL.
 *  - Errors are MG_EDB with id "sql-error" (or a more precise id), the
 *    server message in msg, SQLSTATE / result code in detail, and the
 *    password scrubbed (dburl.h). After a failed exec or query,
 *    db->last describes the failure until the next call.
 *  - cancel() may be called from a signal handler.
 * docs/internals/drivers.md says more.
 */
#ifndef MG_DRIVER_H
#define MG_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "../core/err.h"
#include "dburl.h"

/* What a failed statement left behind (valid until the next call). */
struct mg_db_last {
	char sqlstate[6];   /* PostgreSQL SQLSTATE, or "" */
	int code;           /* SQLite extended result code, or 0 */
	long position;      /* 1-based character position of the error in the
			       statement text, 0 when unknown */
	bool lock_timeout;  /* PG 55P03 lock_not_available */
	bool canceled;      /* PG 57014 or SQLite SQLITE_INTERRUPT */
	bool conn_lost;     /* the connection is gone */
};

struct mg_db {
	const struct mg_db_ops *ops;
	const struct mg_dburl *url;  /* borrowed; for scrubbing messages */
	struct mg_db_last last;
	bool in_tx;                  /* inside begin() .. commit()/rollback() */
};

struct mg_db_opts {
	bool readonly;      /* status: never create or change anything; a
			       missing SQLite file reads as an empty database */
	long lock_wait_ms;  /* how long begin() (SQLite) and lock() (PG) wait
			       for another runner; 0 = fail at once */
	FILE *notice;       /* where "waiting for ..." notices go (stderr), or
			       NULL for silence */
	bool (*stop)(void); /* polled while waiting for a lock: true ends the
			       wait with MG_EINTERRUPTED (a signal arrived);
			       NULL = never */
};

/* A result set: text cells in row-major order. */
struct mg_rows {
	size_t nrows, ncols;
	char **cells;       /* owned array; nrows * ncols entries pointing into
			       text, NULL for SQL NULL */
	char *text;         /* owned; every cell, NUL-terminated, in one block
			       (10,000 ledger rows: one allocation, not 90,000) */
};

/* Collecting rows: cells as offsets into one growing text, turned into
 * pointers by mg_rows_builder_finish. For drivers. */
struct mg_rows_builder {
	char *text;
	size_t len, cap;
	size_t *offs;       /* per cell: offset in text, or (size_t)-1 = NULL */
	size_t ncells, capcells;
};
/* Room for ncells more cells and nbytes more text (cell bytes plus one
 * NUL each), when the driver knows them: no regrowth, no copies, no pages
 * touched twice (PostgreSQL: 10,000 ledger rows are 1.7 MB). */
void mg_rows_builder_reserve(struct mg_rows_builder *b, size_t ncells, size_t nbytes);
void mg_rows_builder_add(struct mg_rows_builder *b, const char *v, size_t n);
/* Fill out's cells and text (out->nrows, out->ncols set by the caller). */
void mg_rows_builder_finish(struct mg_rows_builder *b, struct mg_rows *out);
void mg_rows_builder_release(struct mg_rows_builder *b);

/* Cell (row, col), or NULL for SQL NULL or out of range. */
const char *mg_rows_get(const struct mg_rows *r, size_t row, size_t col);
void mg_rows_release(struct mg_rows *r);

struct mg_db_ops {
	const char *name;             /* "sqlite", "postgres" */
	enum mg_dialect dialect;
	bool transactional_ddl;       /* DDL rolls back with the transaction */
	const char *begin_sql;        /* what begin() sends, for --dry-run */

	/* Connect. MG_EDB on failure (password scrubbed). */
	int (*open)(struct mg_db **out, const struct mg_dburl *url,
		    const struct mg_db_opts *opts, struct mg_err *err);
	void (*close)(struct mg_db *db);

	/* Run one statement of text (no parameters, result discarded). */
	int (*exec)(struct mg_db *db, const char *sql, struct mg_err *err);
	/* Run sql with nparams text parameters; rows into *out when out is
	 * not NULL (then release it with mg_rows_release). Statements are
	 * prepared per connection and reused (PostgreSQL: from their second
	 * use; SQLite: from their first). */
	int (*query)(struct mg_db *db, const char *sql, int nparams,
		     const char *const *params, struct mg_rows *out,
		     struct mg_err *err);

	/* Transactions. SQLite's begin() is BEGIN IMMEDIATE and waits up to
	 * lock_wait_ms for another writer (saying who when it can). */
	int (*begin)(struct mg_db *db, struct mg_err *err);
	int (*commit)(struct mg_db *db, struct mg_err *err);
	int (*rollback)(struct mg_db *db, struct mg_err *err);
	/* Optional (NULL: query() then commit()). Run sql with nparams text
	 * parameters (rows discarded) and then COMMIT, in one round trip
	 * (PostgreSQL: one pipeline). 0 when both succeeded; otherwise
	 * *stage says which failed: 0 the statement (nothing was committed
	 * and the transaction is still open, aborted: roll it back), 1 the
	 * COMMIT (the transaction is over). */
	int (*query_commit)(struct mg_db *db, const char *sql, int nparams,
			    const char *const *params, int *stage,
			    struct mg_err *err);

	/* The runner lock for key (schema + ledger table), held until unlock()
	 * or close. PostgreSQL: a session advisory lock, polled with backoff
	 * up to lock_wait_ms, naming the holder (pid, application_name, since)
	 * while waiting; MG_EDB id "lock-timeout" when it never comes. SQLite:
	 * no-op (every migration takes the write lock in begin()). */
	int (*lock)(struct mg_db *db, const char *key, struct mg_err *err);
	int (*unlock)(struct mg_db *db, struct mg_err *err);

	/* Interrupt the running statement; async-signal-safe. */
	void (*cancel)(struct mg_db *db);

	/* Ledger support. The name of the current schema (owned) or NULL for
	 * SQLite; the column names of table schema.table (owned rows, one
	 * column; zero rows if the table does not exist). */
	char *(*current_schema)(struct mg_db *db, struct mg_err *err);
	int (*table_columns)(struct mg_db *db, const char *schema,
			     const char *table, struct mg_rows *out,
			     struct mg_err *err);

	/* Optional (NULL when unsupported). Whether index `name` exists in
	 * schema (NULL = search path) and is INVALID (PostgreSQL: pg_index
	 * indisvalid = false, left by a failed CREATE INDEX CONCURRENTLY):
	 * *state = 0 absent, 1 valid, 2 invalid. */
	int (*index_state)(struct mg_db *db, const char *schema,
			   const char *name, int *state, struct mg_err *err);
	/* Optional. Write a consistent copy of the database to path (SQLite
	 * online backup API; correct in WAL mode). */
	int (*backup)(struct mg_db *db, const char *path, struct mg_err *err);
};

extern const struct mg_db_ops mg_driver_sqlite;
extern const struct mg_db_ops mg_driver_pg;

/* Process-wide settings of the database libraries, before any thread
 * touches one (main calls it first): SQLite's memory statistics off, so
 * its allocations take no global mutex (status: SQLite parses a 10,000-
 * table schema on one thread while files are read on others). */
void mg_db_init(void);
/* For mg_db_init: the SQLite driver's part. */
void mg_sqlite_init(void);

/* Open the driver matching url->dialect. */
int mg_db_open(struct mg_db **out, const struct mg_dburl *url,
	       const struct mg_db_opts *opts, struct mg_err *err);
/* Close (NULL is fine). */
void mg_db_close(struct mg_db *db);

/* Monotonic clock in microseconds, for lock waits and timings. */
long long mg_db_clock_us(void);
/* Sleep ms milliseconds (returns early on a signal). */
void mg_db_sleep_ms(long ms);

#endif
