/*
 * err: the one error convention of migrate (docs/internals/errors.md).
 *
 * Fallible functions return 0 or a negative MG_E* code and fill a
 * caller-owned struct mg_err once, where the problem is detected. The `id`
 * is a stable kebab-case token (documented in docs/errors.md) printed first
 * by machine output; the message follows git's grammar: lowercase, no
 * trailing period, quote the subject. `hint` says how to fix it.
 */
#ifndef MG_ERR_H
#define MG_ERR_H

#include <stdio.h>

enum mg_code {
	MG_OK = 0,
	MG_EUSAGE = -1,     /* bad command line: exit 2 */
	MG_ECONFIG = -2,    /* bad config file or environment: exit 2 */
	MG_EINPUT = -3,     /* bad migration file, name or SQL: exit 2 */
	MG_EIO = -4,        /* cannot read or write a file: exit 2 */
	MG_EREFUSED = -5,   /* refused for safety (lint, drift, dirty): exit 1 */
	MG_EDB = -6,        /* database error, connection, lock: exit 3 */
	MG_EMIGRATION = -7, /* a migration failed while running: exit 3 */
	MG_EINTERRUPTED = -8 /* stopped by a signal: exit 3 */
};

struct mg_err {
	int code;       /* enum mg_code, 0 while unset */
	char id[48];    /* stable token, e.g. "duplicate-version" */
	char *msg;      /* owned; what went wrong */
	char *file;     /* owned; file the error is about, or NULL */
	unsigned line;  /* 1-based; 0 when not positioned */
	unsigned col;   /* 1-based; 0 when not positioned */
	char *hint;     /* owned; how to fix it, or NULL */
	char *detail;   /* owned; server detail (SQLSTATE etc.), or NULL */
};

#define MG_ERR_INIT { 0, "", NULL, NULL, 0, 0, NULL, NULL }

/* Set code, id and message. Returns code, so `return mg_err_set(...)`. */
int mg_err_set(struct mg_err *e, int code, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Attach a position (file may be NULL to keep the current one). */
void mg_err_at(struct mg_err *e, const char *file, unsigned line, unsigned col);
void mg_err_hint(struct mg_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mg_err_detail(struct mg_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prefix the message with context added on the way up: "ctx: msg". */
void mg_err_prefix(struct mg_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void mg_err_release(struct mg_err *e);
/* Move src into dst (dst released first); src is left empty. */
void mg_err_move(struct mg_err *dst, struct mg_err *src);

/* The documented process exit code for an error code (0 for MG_OK). */
int mg_err_exit_code(int code);
/* Print as: migrate: error: [file:line:col: ]msg [id]\n  hint: ...\n */
void mg_err_print(FILE *f, const struct mg_err *e);

#endif
