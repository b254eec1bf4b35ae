/*
 * dburl: database URLs and connection strings, and password redaction.
 *
 * Accepted forms (docs/config.md):
 *   postgres://..., postgresql://...  a libpq URL, handed to libpq unchanged
 *   host=... dbname=... ...           a libpq conninfo string, unchanged
 *   sqlite:relative/path.db           a file relative to the current directory
 *   sqlite:/abs/path.db, sqlite:///abs/path.db   an absolute path
 *   sqlite::memory:                   an in-memory database
 * ("sqlite3:" is accepted for "sqlite:"). PostgreSQL settings missing from
 * the URL come from libpq itself (PG* environment variables, ~/.pgpass,
 * service files, sslmode defaults): migrate never rewrites them.
 *
 * A password never leaves migrate: print URLs only through mg_dburl_redact,
 * and pass every message that may echo a connection string (libpq errors)
 * through mg_dburl_scrub.
 */
#ifndef MG_DBURL_H
#define MG_DBURL_H

#include "../core/err.h"

enum mg_dialect {
	MG_DIALECT_NONE = 0,
	MG_DIALECT_SQLITE = 1,
	MG_DIALECT_PG = 2
};

/* "sqlite", "postgres" or "none". */
const char *mg_dialect_name(enum mg_dialect d);
/* Parse "sqlite"/"sqlite3" or "postgres"/"postgresql"/"pg"; NONE otherwise. */
enum mg_dialect mg_dialect_parse(const char *s);

struct mg_dburl {
	enum mg_dialect dialect;
	char *raw;       /* owned; the URL as given (secret: never print it) */
	char *conninfo;  /* owned; PG: what libpq gets (== raw) */
	char *path;      /* owned; SQLite: file path or ":memory:" */
	char *redacted;  /* owned; raw with any password replaced by "****" */
	char **secrets;  /* owned; password strings to scrub (raw and decoded) */
	size_t nsecrets;
};

/* Parse url into u. MG_ECONFIG (id "bad-database-url") when it is empty or
 * of no known form; the error message never contains the password. */
int mg_dburl_parse(struct mg_dburl *u, const char *url, struct mg_err *err);
void mg_dburl_release(struct mg_dburl *u);

/* url with passwords replaced by "****" (owned): the user-info password of
 * a URL, "password=" query parameters and conninfo "password" values. */
char *mg_dburl_redact(const char *url);

/* text with every occurrence of u's password (raw or percent-decoded)
 * replaced by "****", and any URL-looking part redacted (owned). Safe
 * with u == NULL (then only URL-looking parts are redacted). */
char *mg_dburl_scrub(const struct mg_dburl *u, const char *text);

/* Scrub the message, detail and hint of err in place (see mg_dburl_scrub). */
void mg_dburl_scrub_err(const struct mg_dburl *u, struct mg_err *err);

#endif
