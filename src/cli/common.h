/*
 * common: what every command shares: option parsing, then loading the
 * config, the migration set and the database connection with good errors.
 *
 * A command declares its own options in a table (struct mg_opt, ending
 * with a zeroed entry); mg_cli_parse adds the common ones: --config FILE,
 * --env NAME, and every config key as a flag (--database-url, --dir,
 * --dialect, --migrations-table, --lock-timeout, ...; see config.h). Then
 * mg_ctx_load does the rest in a fixed order (config, URL, migration set,
 * connection), stopping at the first error. Errors are printed with
 * mg_ctx_fail, which scrubs the password from every field.
 *
 * Typical use (cmd_status.c):
 *
 *   struct mg_cli cli;
 *   struct mg_ctx ctx;
 *   struct mg_err err = MG_ERR_INIT;
 *   memset(&ctx, 0, sizeof(ctx));   (so mg_ctx_fail is safe after a
 *                                    parse error)
 *   if (mg_cli_parse(argc, argv, opts, &cli, &err) ||
 *       mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_DB | MG_CTX_READONLY, &err))
 *           return mg_ctx_fail(&ctx, &cli, &err);
 */
#ifndef MG_CLI_COMMON_H
#define MG_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "../config/config.h"
#include "../core/err.h"
#include "../db/dburl.h"
#include "../db/driver.h"
#include "../migset/migset.h"
#include "../run/prefetch.h"

/* One command-specific option. */
struct mg_opt {
	const char *name;   /* long name without "--"; NULL ends the table */
	int id;             /* returned in struct mg_optval (non-zero) */
	bool has_arg;
};

struct mg_optval {
	int id;
	const char *arg;    /* borrowed from argv, or NULL */
};

struct mg_cli {
	struct mg_config_args cargs;  /* --config, --env and config-key flags */
	struct mg_optval *vals;       /* owned; command options, in order */
	size_t nvals;
	char **pos;                   /* owned array of borrowed argv strings */
	size_t npos;
	bool parsed;
};

/* The help text for the common options (append to a command's usage). */
#define MG_CLI_COMMON_HELP                                                    \
	"common options (docs/config.md):\n"                                  \
	"  --database-url URL   postgres://..., a libpq conninfo, sqlite:PATH\n"  \
	"                       (env MIGRATE_DATABASE_URL, DATABASE_URL)\n"     \
	"  --dir DIR            migrations directory (env MIGRATIONS_DIR;\n"    \
	"                       default migrations, else db/migrations)\n"     \
	"  --config FILE        config file (env MIGRATE_CONFIG; default\n"     \
	"                       ./migrate.json when it exists)\n"               \
	"  --env NAME           environment in the config (env MIGRATE_ENV)\n"  \
	"  --dialect NAME       sqlite or postgres (default: from the URL)\n"   \
	"  --KEY VALUE          any config key, e.g. --lock-timeout 10s,\n"     \
	"                       --migrations-table NAME, --lock-wait 2min\n"

/* Parse argv[1..argc) (argv[0] is the command name). Options may come
 * in any order, as --name VALUE or --name=VALUE; "--" ends them. Unknown
 * options are MG_EUSAGE with a did-you-mean hint. cli is always
 * initialised; release it either way. */
int mg_cli_parse(int argc, char **argv, const struct mg_opt *opts,
		 struct mg_cli *cli, struct mg_err *err);
void mg_cli_release(struct mg_cli *cli);
/* The last value given for option id (NULL if none); *count gets how
 * many times it was given when count is not NULL. */
const char *mg_cli_get(const struct mg_cli *cli, int id, size_t *count);
bool mg_cli_has(const struct mg_cli *cli, int id);

enum {
	MG_CTX_SET = 1,       /* load the migration set */
	MG_CTX_URL = 2,       /* require and parse the database URL */
	MG_CTX_DB = 4 | 2,    /* connect (implies the URL) */
	MG_CTX_READONLY = 8,  /* connect read-only (status) */
	MG_CTX_SET_OPTIONAL_DIR = 16, /* a missing directory is an empty set */
	/* with MG_CTX_SET | MG_CTX_DB | MG_CTX_READONLY: connect and read the
	 * ledger on a thread while the set loads (src/run/prefetch.h); open
	 * the runner with mg_runner_open_prefetched(..., ctx->prefetch) */
	MG_CTX_PREFETCH = 32,
	/* load the set with the checksum cache (src/migset/sumcache.h) */
	MG_CTX_SUMCACHE = 64
};

struct mg_ctx {
	struct mg_config cfg;
	struct mg_dburl url;          /* when MG_CTX_URL */
	enum mg_dialect dialect;      /* from --dialect / config, else the URL */
	struct mg_migset set;         /* when MG_CTX_SET */
	struct mg_db *db;             /* when MG_CTX_DB */
	struct mg_prefetch *prefetch; /* when MG_CTX_PREFETCH: joined */
	bool have_url, have_set;
};

/* Load what flags ask for, in order: config, URL, set, connection. The
 * connection prints lock-wait notices on stderr. ctx is always
 * initialised; release it either way. */
int mg_ctx_load(struct mg_ctx *ctx, const struct mg_cli *cli, unsigned flags,
		struct mg_err *err);
void mg_ctx_release(struct mg_ctx *ctx);

/* MG_FREE_AT_EXIT: 1 when a command frees all it allocated before its
 * run() returns. Sanitizer builds always do, so LeakSanitizer still sees
 * every allocation nothing frees; other builds may leave the large
 * structures of a successful `status` (the set, the ledger rows, the plan)
 * to the process exit instead of ~11 M instructions of free() for 10,000
 * migrations. Database connections are closed either way. Build with
 * -DMG_FREE_AT_EXIT=1 to free everything (valgrind --leak-check). */
#ifndef MG_FREE_AT_EXIT
#if defined(__SANITIZE_ADDRESS__)
#define MG_FREE_AT_EXIT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(leak_sanitizer)
#define MG_FREE_AT_EXIT 1
#endif
#endif
#endif
#ifndef MG_FREE_AT_EXIT
#define MG_FREE_AT_EXIT 0
#endif

/* Print err on stderr (scrubbing the password), release ctx, cli and err,
 * and return the documented exit code. ctx and cli may be NULL. */
int mg_ctx_fail(struct mg_ctx *ctx, struct mg_cli *cli, struct mg_err *err);
/* Print err (scrubbed with ctx's URL when ctx is not NULL). */
void mg_ctx_print_err(const struct mg_ctx *ctx, const struct mg_err *err);

#endif
