/*
 * config_fuzzer: the JSON config file reader.
 *
 * Exercises:
 *   src/config/config.c  mg_config_load on the input as the --config file
 *                        (cJSON parse, positioned JSON errors, unknown keys
 *                        with did-you-mean hints, typed values: strings,
 *                        paths, durations, integers; "environments" with
 *                        --env unset and set to "staging"; "lint" settings;
 *                        ${VAR} expansion), mg_config_release,
 *                        mg_config_origin, mg_config_key_index,
 *                        mg_config_nearest, mg_config_parse_duration and
 *                        mg_config_format_duration (round trip)
 *   cJSON (libcjson), src/core/ (fs read, err)
 *
 * The process environment is cleared of MIGRATE_*, DATABASE_URL and
 * MIGRATIONS_DIR once, and FUZZ_VAR=value is set for ${FUZZ_VAR}.
 *
 * Invariants (abort() when broken): errors have an id, a message and exit
 * code 2; a loaded config has non-negative durations and counts, a lint
 * rules value that is NULL or a JSON object, and a fail_on that is NULL or
 * one of info/warning/error; a duration that parses formats to a string
 * that parses back to the same number of milliseconds.
 *
 * Input: the config file's bytes; capped at 16 KiB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "core/err.h"
#include "core/xalloc.h"

#define FUZZ_MAX_INPUT 16384

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

extern char **environ;

static char *path;
static char *tmpdir;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "config_fuzzer: invariant broken: %s "   \
				"(%s:%d)\n", #cond, __FILE__, __LINE__);     \
			abort();                                             \
		}                                                            \
	} while (0)

static void cleanup(void)
{
	if (path)
		unlink(path);
	if (tmpdir)
		rmdir(tmpdir);
	free(path);
	free(tmpdir);
	path = tmpdir = NULL;
}

static void setup(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl;
	size_t i = 0;

	if (path)
		return;
	/* Only the file may configure anything. */
	while (environ && environ[i]) {
		const char *e = environ[i];
		if (!strncmp(e, "MIGRATE_", 8) || !strncmp(e, "DATABASE_URL=", 13) ||
		    !strncmp(e, "MIGRATIONS_DIR=", 15)) {
			char *name = mg_xstrndup(e, strcspn(e, "="));
			unsetenv(name);
			free(name);
			i = 0;
			continue;
		}
		i++;
	}
	setenv("FUZZ_VAR", "value", 1);
	tmpl = mg_xasprintf("%s/config_fuzzer.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("config_fuzzer: mkdtemp");
		abort();
	}
	tmpdir = tmpl;
	path = mg_xasprintf("%s/migrate.json", tmpdir);
	atexit(cleanup);
}

static void check_duration(const char *s)
{
	long ms = -1, back = -1;
	char buf[64];

	if (mg_config_parse_duration(s, &ms) != 0)
		return;
	CHECK(ms >= 0);
	mg_config_format_duration(ms, buf, sizeof(buf));
	CHECK(mg_config_parse_duration(buf, &back) == 0);
	CHECK(back == ms);
}

static void load(const char *env_name)
{
	struct mg_config cfg;
	struct mg_config_args args;
	struct mg_err err = MG_ERR_INIT;
	int rc;

	memset(&args, 0, sizeof(args));
	args.file = path;
	args.env_name = env_name;
	rc = mg_config_load(&cfg, &args, &err);
	if (rc) {
		FILE *null = fopen("/dev/null", "w");
		CHECK(rc < 0 && err.code == rc);
		CHECK(err.id[0] && err.msg);
		CHECK(mg_err_exit_code(rc) == 2);
		if (null) {
			mg_err_print(null, &err);
			fclose(null);
		}
		mg_err_release(&err);
	} else {
		CHECK(cfg.lock_timeout_ms >= 0 && cfg.statement_timeout_ms >= 0);
		CHECK(cfg.lock_retries >= 0 && cfg.lock_retry_backoff_ms >= 0);
		CHECK(cfg.lock_wait_ms >= 0);
		CHECK(!cfg.lint.rules || cJSON_IsObject(cfg.lint.rules));
		CHECK(cfg.lint.pg_version >= 0);
		CHECK(!cfg.lint.fail_on || !strcmp(cfg.lint.fail_on, "info") ||
		      !strcmp(cfg.lint.fail_on, "warning") ||
		      !strcmp(cfg.lint.fail_on, "error"));
		for (size_t i = 0; i < cfg.lint.nexclude; i++)
			CHECK(cfg.lint.exclude[i] != NULL);
		for (size_t i = 0; i < mg_config_nkeys; i++)
			CHECK(mg_config_origin(&cfg, i) != NULL);
	}
	mg_config_release(&cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;
	char word[65];
	size_t n;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	setup();

	/* The first line, as a flag value or key name would arrive. */
	for (n = 0; n < size && n < sizeof(word) - 1 && data[n] != '\n' && data[n]; n++)
		word[n] = (char)data[n];
	word[n] = '\0';
	check_duration(word);
	(void)mg_config_key_index(word);
	{
		const char *names[] = { "database_url", "dir", "lock_timeout",
					"environments", "lint", NULL };
		(void)mg_config_nearest(word, names);
	}

	f = fopen(path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror("config_fuzzer: write");
		abort();
	}
	load(NULL);
	load("staging");
	return 0;
}
