/*
 * config: settings from flags, environment, a JSON file and defaults.
 *
 * One table, mg_config_keys[], lists every key with its type, default,
 * environment variables and help; it drives parsing of the file, of the
 * environment and of the command line (every key is also a flag:
 * lock_timeout is --lock-timeout), and docs/config.md (a unit test checks
 * the page documents every key).
 *
 * Precedence, highest first: command-line flags; environment variables
 * (MIGRATE_<KEY>, then the key's plain alias such as DATABASE_URL or
 * MIGRATIONS_DIR); the config file (the selected environment's object, then
 * the top level); the defaults in the table.
 *
 * The file is `--config FILE`, else $MIGRATE_CONFIG, else ./migrate.json if
 * it exists. It is a JSON object of keys, plus "environments" (an object of
 * named objects of keys), "default_environment" and "lint". The
 * environment is `--env NAME`, else $MIGRATE_ENV, else default_environment.
 * Strings may use ${VAR} to read the process environment. Unknown keys are
 * errors with a did-you-mean hint.
 */
#ifndef MG_CONFIG_H
#define MG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "../core/err.h"

enum mg_config_type {
	MG_CFG_STRING,    /* any string */
	MG_CFG_PATH,      /* a file or directory path */
	MG_CFG_DURATION,  /* "5s", "250ms", "2min", "1h"; "0" or "off" = off */
	MG_CFG_INT        /* a non-negative integer */
};

enum mg_config_origin {
	MG_ORIGIN_DEFAULT = 0,
	MG_ORIGIN_FILE,
	MG_ORIGIN_ENV,
	MG_ORIGIN_FLAG
};

/* The lint settings (read by the lint engine; parsed and checked here). */
struct mg_config_lint {
	const cJSON *rules;   /* borrowed from the config's JSON: an object of
				 "rule-id": "off|info|warning|error"; NULL when
				 not configured */
	int pg_version;       /* target PostgreSQL major version; 0 = unset */
	char **exclude;       /* owned; glob patterns of files to skip */
	size_t nexclude;
	char *fail_on;        /* owned; "info", "warning" or "error"; NULL =
				 unset (the lint command's default applies) */
};

struct mg_config {
	/* values, one per key in mg_config_keys[] */
	char *database_url;         /* NULL: not set anywhere */
	char *dir;                  /* migrations directory */
	char *dialect;              /* "sqlite" / "postgres" or NULL = from URL */
	char *migrations_table;
	char *migrations_schema;    /* NULL: the connection's current schema */
	char *filename_pattern;     /* NULL: the built-in file-name grammar */
	long lock_timeout_ms;       /* 0 = off */
	long statement_timeout_ms;  /* 0 = off */
	long lock_retries;
	long lock_retry_backoff_ms;
	long lock_wait_ms;
	char *backup;               /* SQLite backup path, or NULL */

	struct mg_config_lint lint;

	char *file;                 /* owned; the config file read, or NULL */
	char *env_name;             /* owned; the environment used, or NULL */
	cJSON *root;                /* owned; the parsed file, or NULL */
	enum mg_config_origin origin[16]; /* per key */
	char *origin_name[16];      /* owned; e.g. "MIGRATE_LOCK_TIMEOUT" */
};

struct mg_config_key {
	const char *name;       /* JSON key; the flag is "--" + name with '-' */
	enum mg_config_type type;
	const char *def;        /* default, as text; NULL = unset */
	const char *alias_env;  /* plain environment variable, or NULL */
	size_t offset;          /* field in struct mg_config */
	const char *help;       /* one line, for docs and --help */
};

extern const struct mg_config_key mg_config_keys[];
extern const size_t mg_config_nkeys;

/* What the command line said. */
struct mg_config_args {
	const char *file;                /* --config, or NULL */
	const char *env_name;            /* --env, or NULL */
	const char *values[16];          /* per key (index in mg_config_keys),
					    from flags; NULL = not given */
};

/*
 * Load cfg from args, the environment, the file and the defaults. Errors:
 * MG_ECONFIG (bad JSON positioned file:line:col, unknown key with hint,
 * bad value naming where it came from, unknown environment), MG_EIO (an
 * explicit config file that cannot be read). cfg is always initialised;
 * release it either way.
 */
int mg_config_load(struct mg_config *cfg, const struct mg_config_args *args,
		   struct mg_err *err);
void mg_config_release(struct mg_config *cfg);

/* Index of key `name` ("lock_timeout" or flag spelling "lock-timeout"),
 * or -1. */
int mg_config_key_index(const char *name);
/* The known name nearest to `name` among `names` (NULL-terminated), or
 * NULL if none is close: for did-you-mean hints. */
const char *mg_config_nearest(const char *name, const char *const *names);
/* Parse a duration ("5s", "250ms", "2min", "1h", "0", "off") into *ms.
 * Returns 0 or -1 (a non-zero number needs a unit). */
int mg_config_parse_duration(const char *s, long *ms);
/* Format ms as the shortest duration string ("5s", "250ms", "off"). */
void mg_config_format_duration(long ms, char *out, size_t n);
/* Where key i's value came from: "default", "MIGRATE_DIR",
 * "migrate.json", "--dir". Borrowed from cfg. */
const char *mg_config_origin(const struct mg_config *cfg, size_t i);

#endif
