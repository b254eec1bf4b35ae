/*
 * script: one migration script prepared for execution.
 *
 * Preparing parses the script with the target's own grammar (libpg_query
 * for PostgreSQL, SQLite's parser through sqlite_split) and keeps each
 * statement's span, so the runner sends one statement at a time and can
 * name the exact file:line:col of any failure. A syntax error is reported
 * here, positioned, before anything runs. Statement text for execution has
 * CRLF turned into LF, as the checksum does; positions always refer to the
 * file as it is on disk.
 */
#ifndef MG_SCRIPT_H
#define MG_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"
#include "../db/dburl.h"
#include "../migset/migset.h"
#include "../sql/pgparse.h"
#include "../sql/sqlite_split.h"

struct mg_stmts {
	const struct mg_script *script;  /* borrowed */
	size_t n;
	size_t *offs, *ends;             /* owned; file offsets per statement */
	struct mg_parse pg;              /* owned; PostgreSQL trees (else empty) */
	bool has_pg;
};

/* Parse sc for dialect d (sp: the SQLite splitter to use, may be NULL).
 * MG_EINPUT with file:line:col: id "sql-syntax-error" on a syntax error,
 * "transaction-control" for BEGIN/COMMIT/ROLLBACK/END/ABORT in a script
 * that runs in a transaction. out is always initialised; release it
 * either way. */
int mg_stmts_prepare(struct mg_stmts *out, const struct mg_script *sc,
		     enum mg_dialect d, struct mg_sqlite_splitter *sp,
		     struct mg_err *err);
void mg_stmts_release(struct mg_stmts *s);

/* Statement i's text for execution (owned; CRLF -> LF). */
char *mg_stmts_text(const struct mg_stmts *s, size_t i);
/* File line:col of statement i, moved to the 1-based character position
 * charpos inside it when charpos > 0 (as servers report errors). */
void mg_stmts_pos(const struct mg_stmts *s, size_t i, long charpos,
		  unsigned *line, unsigned *col);
/* The first non-blank line of statement i (owned), shortened to 100
 * characters. */
char *mg_stmts_first_line(const struct mg_stmts *s, size_t i);
/* For a PostgreSQL CREATE INDEX: its name and schema (borrowed, schema may
 * be NULL) and whether it is CONCURRENTLY. False for anything else. */
bool mg_stmts_index(const struct mg_stmts *s, size_t i, const char **name,
		    const char **schema, bool *concurrent);

#endif
