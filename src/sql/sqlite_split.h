/*
 * sqlite_split: split and validate SQLite scripts with SQLite's own parser.
 *
 * Each statement is prepared with sqlite3_prepare_v2 against a private
 * :memory: database and the tail pointer gives the next one, so statement
 * boundaries are exactly SQLite's (CREATE TRIGGER ... BEGIN ... END;,
 * strings, [quoted] and `quoted` names, comments). Only real syntax errors
 * are errors ("near "X": syntax error", "incomplete input", "unrecognized
 * token"); an error that depends on the schema ("no such table", "no such
 * column", "already exists", ...) is not, because the :memory: database does
 * not hold the target's schema. To catch more, the splitter replays the DDL
 * it validates (CREATE/ALTER/DROP, bounded in work) into its database, and
 * the caller may seed it with the target's schema first. The replay waits
 * until a later statement fails on something missing (then that statement
 * is prepared again) or a seed comes: the same validation, without
 * replaying DDL that nothing refers to.
 */
#ifndef MG_SQLITE_SPLIT_H
#define MG_SQLITE_SPLIT_H

#include <stddef.h>

#include "../core/err.h"
#include "source.h"

struct mg_sqlite_splitter; /* opaque: owns a :memory: connection */

struct mg_sqlite_split {
	size_t *offs;  /* owned; file offset of each statement's first token */
	size_t *ends;  /* owned; file offset just past it (';' included) */
	size_t n, cap;
};

struct mg_sqlite_splitter *mg_sqlite_splitter_new(void);
void mg_sqlite_splitter_free(struct mg_sqlite_splitter *sp);
/* Run sql (e.g. the target's CREATE statements) in the splitter's
 * database, ignoring errors: best effort, so later statements that refer
 * to those objects validate further. */
void mg_sqlite_splitter_seed(struct mg_sqlite_splitter *sp, const char *sql);

/*
 * Split src->text[off, end) into statements, appending to out (which must
 * be zeroed or hold earlier results). sp may be NULL (a temporary splitter
 * is used). Returns 0, or MG_EINPUT with id "sql-syntax-error" positioned
 * at the error's file:line:col; out then holds the statements before it.
 */
int mg_sqlite_split(struct mg_sqlite_splitter *sp, const struct mg_source *src,
		    size_t off, size_t end, struct mg_sqlite_split *out,
		    struct mg_err *err);
void mg_sqlite_split_release(struct mg_sqlite_split *s);

#endif
