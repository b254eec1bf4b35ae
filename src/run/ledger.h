/*
 * ledger: the schema_migrations table, and all SQL migrate itself sends.
 *
 * The schema is documented exactly in docs/ledger.md. Every SQL text is
 * built here per dialect; identifiers are quoted with mg_buf_add_sql_ident
 * and every value is a bound parameter. Commands are values (struct
 * mg_sqlcmd) so the runner can either execute them or print them for
 * --dry-run with the parameters shown inline, quoted.
 *
 * An existing dbmate-style table (only `version`) is adopted: the missing
 * columns are added with ALTER TABLE ... ADD COLUMN (all nullable) and the
 * rows are kept; NULL columns read as "unknown" (checksum: not drifted;
 * state: applied; dirty: false).
 */
#ifndef MG_LEDGER_H
#define MG_LEDGER_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/err.h"
#include "../db/driver.h"

enum mg_ledger_col {
	MG_COL_VERSION,
	MG_COL_NAME,
	MG_COL_CHECKSUM,
	MG_COL_APPLIED_AT,
	MG_COL_EXECUTION_MS,
	MG_COL_DIRTY,
	MG_COL_STATE,
	MG_COL_STATEMENTS_DONE,
	MG_COL_APPLIED_BY,
	MG_LEDGER_NCOLS
};

/* Row states (the `state` column). */
#define MG_STATE_APPLIED "applied"    /* done */
#define MG_STATE_RUNNING "running"    /* a no-transaction up in progress,
					 failed or interrupted */
#define MG_STATE_REVERTING "reverting" /* the same for a down */

struct mg_ledger_row {
	char *version;       /* owned; as recorded */
	char *name;          /* owned or NULL */
	char *checksum;      /* owned or NULL (unknown) */
	char *applied_at;    /* owned; UTC "YYYY-MM-DDTHH:MM:SS.mmmZ", or NULL */
	long execution_ms;   /* -1 = unknown */
	bool dirty;
	char *state;         /* owned; MG_STATE_*; "applied" when NULL */
	long statements_done;/* statements finished (no-transaction progress) */
	char *applied_by;    /* owned; "user@host" or NULL */
};

struct mg_ledger_rows {
	struct mg_ledger_row *v;
	size_t n, cap;
	char *text;  /* owned; from mg_ledger_read: the rows' strings point
			into it (never free or replace them one by one) */
	bool borrowed; /* mg_ledger_read's rows: their strings are not theirs
			  (in text, or literals); other rows own them */
};

struct mg_ledger {
	struct mg_db *db;             /* borrowed */
	enum mg_dialect dialect;
	char *schema;                 /* owned; PostgreSQL schema, NULL for SQLite */
	char *table;                  /* owned */
	char *qname;                  /* owned; quoted name for SQL */
	char *display;                /* owned; schema.table for messages */
	bool exists;                  /* the table exists */
	bool has[MG_LEDGER_NCOLS];    /* which columns exist */
};

/* A command migrate sends: SQL text plus text parameters. */
#define MG_SQLCMD_MAXP 10
struct mg_sqlcmd {
	char *sql;                    /* owned */
	int nparams;
	char *params[MG_SQLCMD_MAXP]; /* owned; NULL = SQL NULL */
	const char *note;             /* borrowed comment for --dry-run, or NULL */
};

struct mg_sqlcmds {
	struct mg_sqlcmd *v;
	size_t n, cap;
};

/* Set up l for db: resolve the schema (PostgreSQL: `schema` or the current
 * schema), and read which columns exist. MG_EDB on database errors;
 * MG_ECONFIG when the table exists without a `version` column. */
int mg_ledger_init(struct mg_ledger *l, struct mg_db *db, const char *schema,
		   const char *table, struct mg_err *err);
/* Re-read which columns exist (e.g. inside a write transaction). */
int mg_ledger_refresh(struct mg_ledger *l, struct mg_err *err);
void mg_ledger_release(struct mg_ledger *l);

/* The DDL that creates the table or adds missing columns (appended to
 * out; nothing when up to date). */
void mg_ledger_ensure_cmds(const struct mg_ledger *l, struct mg_sqlcmds *out);

/* Read every row (one query; nothing if the table does not exist). */
int mg_ledger_read(struct mg_ledger *l, struct mg_ledger_rows *out,
		   struct mg_err *err);
/* Read the row for version (exact match); *found says whether it exists. */
int mg_ledger_get(struct mg_ledger *l, const char *version,
		  struct mg_ledger_row *row, bool *found, struct mg_err *err);
void mg_ledger_row_release(struct mg_ledger_row *r);
void mg_ledger_rows_release(struct mg_ledger_rows *rows);

struct mg_buf;
/* A recorded version as one shell word for messages, status lines and
 * hints ("migrate mark '' --rolled-back"), built in tmp (release it):
 * quoted only when it needs to be. An adopted ledger can hold any text,
 * the empty string included. */
const char *mg_ledger_version_word(const char *version, struct mg_buf *tmp);

/* Command builders (out is initialised; release with mg_sqlcmd_release). */
/* A row for a transactional migration applied in the current transaction. */
void mg_ledger_cmd_insert_applied(const struct mg_ledger *l, struct mg_sqlcmd *out,
				  const char *version, const char *name,
				  const char *checksum, long execution_ms,
				  long statements, const char *applied_by);
/* A dirty `running` row written before a no-transaction migration. */
void mg_ledger_cmd_insert_running(const struct mg_ledger *l, struct mg_sqlcmd *out,
				  const char *version, const char *name,
				  const char *checksum, const char *applied_by);
/* Mark an existing row running again (resume) with the current checksum. */
void mg_ledger_cmd_resume(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version, const char *checksum,
			  const char *applied_by);
/* Record that n statements are done. */
void mg_ledger_cmd_progress(const struct mg_ledger *l, struct mg_sqlcmd *out,
			    const char *version, long n);
/* A running row has finished: applied, clean. */
void mg_ledger_cmd_finish(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version, const char *checksum,
			  long execution_ms, long statements);
/* A no-transaction down is starting: mark the row dirty, `reverting`. */
void mg_ledger_cmd_reverting(const struct mg_ledger *l, struct mg_sqlcmd *out,
			     const char *version);
void mg_ledger_cmd_delete(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version);
/* PostgreSQL session settings: SET [LOCAL] lock_timeout/statement_timeout
 * through set_config (parameterised). Nothing (sql NULL) for SQLite. */
void mg_ledger_cmd_timeouts(const struct mg_ledger *l, struct mg_sqlcmd *out,
			    long lock_ms, long stmt_ms, bool local);
/* RESET both (after a no-transaction migration). sql NULL for SQLite. */
void mg_ledger_cmd_reset_timeouts(const struct mg_ledger *l, struct mg_sqlcmd *out);

/* "user@host" of this process (owned). */
char *mg_ledger_applied_by(void);

void mg_sqlcmd_release(struct mg_sqlcmd *c);
void mg_sqlcmds_release(struct mg_sqlcmds *c);
/* Run c (a no-op when c->sql is NULL). */
int mg_sqlcmd_exec(struct mg_db *db, const struct mg_sqlcmd *c, struct mg_err *err);
/* Run c, then commit: in one round trip where the driver can
 * (query_commit). *stage: 0 when c failed (the transaction is still open),
 * 1 when it ran and the commit was attempted. */
int mg_sqlcmd_exec_commit(struct mg_db *db, const struct mg_sqlcmd *c, int *stage,
			  struct mg_err *err);
/* Print c as SQL with its parameters inline and quoted, then ";\n". */
void mg_sqlcmd_print(FILE *f, const struct mg_sqlcmd *c);

#endif
