/* config: the JSON config, environments and precedence; see config.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/xalloc.h"

#define F(field) offsetof(struct mg_config, field)

/* The one table of keys. Keep docs/config.md in step (tests/unit/config.c
 * checks it). */
const struct mg_config_key mg_config_keys[] = {
	{ "database_url", MG_CFG_STRING, NULL, "DATABASE_URL", F(database_url),
	  "database URL: postgres://..., a libpq conninfo string, sqlite:PATH "
	  "or sqlite::memory:" },
	{ "dir", MG_CFG_PATH, "migrations", "MIGRATIONS_DIR", F(dir),
	  "migrations directory (default: migrations, or db/migrations when "
	  "only that one exists, as dbmate lays it out)" },
	{ "dialect", MG_CFG_STRING, NULL, NULL, F(dialect),
	  "sqlite or postgres; default: from the database URL" },
	{ "migrations_table", MG_CFG_STRING, "schema_migrations", NULL,
	  F(migrations_table), "name of the ledger table" },
	{ "migrations_schema", MG_CFG_STRING, NULL, NULL, F(migrations_schema),
	  "PostgreSQL schema of the ledger table; default: the current schema" },
	{ "filename_pattern", MG_CFG_STRING, NULL, NULL, F(filename_pattern),
	  "PCRE2 pattern with named groups version, name, direction that "
	  "replaces the built-in file-name grammar" },
	{ "lock_timeout", MG_CFG_DURATION, "5s", NULL, F(lock_timeout_ms),
	  "PostgreSQL lock_timeout for each migration (0 = off)" },
	{ "statement_timeout", MG_CFG_DURATION, "0", NULL, F(statement_timeout_ms),
	  "PostgreSQL statement_timeout for each migration (0 = off)" },
	{ "lock_retries", MG_CFG_INT, "3", NULL, F(lock_retries),
	  "times a migration is retried after a lock timeout (SQLSTATE 55P03)" },
	{ "lock_retry_backoff", MG_CFG_DURATION, "1s", NULL,
	  F(lock_retry_backoff_ms),
	  "wait before the first retry; doubles after each one" },
	{ "lock_wait", MG_CFG_DURATION, "60s", NULL, F(lock_wait_ms),
	  "how long a runner waits for another runner's lock" },
	{ "backup", MG_CFG_PATH, NULL, NULL, F(backup),
	  "SQLite: write a consistent copy of the database here before `up` "
	  "applies anything" },
};
const size_t mg_config_nkeys = sizeof(mg_config_keys) / sizeof(mg_config_keys[0]);

_Static_assert(sizeof(mg_config_keys) / sizeof(mg_config_keys[0]) <= 16,
	       "struct mg_config arrays hold 16 keys");

static const char *const lint_keys[] = { "rules", "pg_version", "exclude",
					 "fail_on", NULL };
static const char *const levels[] = { "off", "info", "warning", "error", NULL };

static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = prev + (tolower((unsigned char)a[i - 1]) !=
						tolower((unsigned char)b[j - 1]));
			unsigned tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *mg_config_nearest(const char *name, const char *const *names)
{
	const char *best = NULL;
	unsigned bd = 4, lim = (unsigned)strlen(name) / 2 + 1;

	if (lim > 3)
		lim = 3;
	for (size_t i = 0; names[i]; i++) {
		unsigned d = edit_distance(name, names[i]);
		if (d <= lim && d < bd) {
			bd = d;
			best = names[i];
		}
	}
	return best;
}

int mg_config_key_index(const char *name)
{
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		const char *k = mg_config_keys[i].name;
		size_t j = 0;
		while (k[j] && name[j] &&
		       (k[j] == name[j] || (k[j] == '_' && name[j] == '-')))
			j++;
		if (!k[j] && !name[j])
			return (int)i;
	}
	return -1;
}

int mg_config_parse_duration(const char *s, long *ms)
{
	static const struct { const char *unit; long mult; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "sec", 1000 }, { "min", 60000 },
		{ "m", 60000 }, { "h", 3600000 },
	};
	char *end;
	long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!strcasecmp(s, "off")) {
		*ms = 0;
		return 0;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || v < 0)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (!*end)
		return v == 0 ? (*ms = 0, 0) : -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcasecmp(end, units[i].unit)) {
			if (v > LONG_MAX / units[i].mult / 2)
				return -1;
			*ms = v * units[i].mult;
			return 0;
		}
	}
	return -1;
}

void mg_config_format_duration(long ms, char *out, size_t n)
{
	if (ms == 0)
		snprintf(out, n, "off");
	else if (ms % 3600000 == 0)
		snprintf(out, n, "%ldh", ms / 3600000);
	else if (ms % 60000 == 0)
		snprintf(out, n, "%ldmin", ms / 60000);
	else if (ms % 1000 == 0)
		snprintf(out, n, "%lds", ms / 1000);
	else
		snprintf(out, n, "%ldms", ms);
}

const char *mg_config_origin(const struct mg_config *cfg, size_t i)
{
	if (i >= mg_config_nkeys)
		return "?";
	return cfg->origin_name[i] ? cfg->origin_name[i] : "default";
}

static char **str_field(struct mg_config *cfg, size_t i)
{
	return (char **)((char *)cfg + mg_config_keys[i].offset);
}

static long *long_field(struct mg_config *cfg, size_t i)
{
	return (long *)((char *)cfg + mg_config_keys[i].offset);
}

/* Expand ${VAR} from the environment. */
static int expand(const char *in, char **out, const char *where, struct mg_err *err)
{
	struct mg_buf b = MG_BUF_INIT;
	const char *p = in;

	while (*p) {
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p + 2, '}');
			char *name;
			const char *v;
			if (!close) {
				mg_buf_release(&b);
				mg_err_set(err, MG_ECONFIG, "bad-config-value",
					   "unterminated '${' in %s", where);
				return MG_ECONFIG;
			}
			name = mg_xstrndup(p + 2, (size_t)(close - p - 2));
			v = getenv(name);
			if (!v) {
				mg_err_set(err, MG_ECONFIG, "bad-config-value",
					   "%s refers to ${%s}, which is not set", where, name);
				mg_err_hint(err, "export %s, or write the value itself", name);
				free(name);
				mg_buf_release(&b);
				return MG_ECONFIG;
			}
			free(name);
			mg_buf_adds(&b, v);
			p = close + 1;
		} else {
			mg_buf_addc(&b, *p++);
		}
	}
	*out = mg_buf_detach(&b, NULL);
	return 0;
}

/* Set key i from text s (already expanded), recording where it came from. */
static int set_value(struct mg_config *cfg, size_t i, const char *s,
		     enum mg_config_origin origin, const char *where,
		     struct mg_err *err)
{
	const struct mg_config_key *k = &mg_config_keys[i];

	switch (k->type) {
	case MG_CFG_STRING:
	case MG_CFG_PATH:
		free(*str_field(cfg, i));
		*str_field(cfg, i) = *s ? mg_xstrdup(s) : NULL;
		break;
	case MG_CFG_DURATION: {
		long ms;
		if (mg_config_parse_duration(s, &ms)) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "invalid duration '%s' for %s (from %s)", s, k->name, where);
			mg_err_hint(err, "write a number with a unit: 500ms, 5s, 2min, "
					 "1h; or 0 / off");
			return MG_ECONFIG;
		}
		*long_field(cfg, i) = ms;
		break;
	}
	case MG_CFG_INT: {
		char *end;
		long v;
		errno = 0;
		v = strtol(s, &end, 10);
		if (errno || end == s || *end || v < 0 || v > 1000) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "invalid %s '%s' (from %s): expected an integer "
				   "from 0 to 1000", k->name, s, where);
			return MG_ECONFIG;
		}
		*long_field(cfg, i) = v;
		break;
	}
	}
	if (k->name && !strcmp(k->name, "dialect") && *s &&
	    strcasecmp(s, "sqlite") && strcasecmp(s, "sqlite3") &&
	    strcasecmp(s, "postgres") && strcasecmp(s, "postgresql")) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "invalid dialect '%s' (from %s)", s, where);
		mg_err_hint(err, "use sqlite or postgres");
		return MG_ECONFIG;
	}
	cfg->origin[i] = origin;
	free(cfg->origin_name[i]);
	cfg->origin_name[i] = mg_xstrdup(where);
	return 0;
}

static int unknown_key(const char *key, const char *where,
		       const char *const *names, struct mg_err *err)
{
	const char *near = mg_config_nearest(key, names);

	mg_err_set(err, MG_ECONFIG, "unknown-config-key",
		   "unknown key '%s' in %s", key, where);
	if (near)
		mg_err_hint(err, "did you mean '%s'? (docs/config.md lists the keys)", near);
	else
		mg_err_hint(err, "docs/config.md lists the keys");
	return MG_ECONFIG;
}

/* All names valid in an object of keys (+ extra), NULL-terminated; owned
 * array of borrowed strings. */
static const char **names_with(const char *const *extra)
{
	size_t n = 0, m = 0;
	const char **v;

	while (extra && extra[m])
		m++;
	v = mg_xcalloc(mg_config_nkeys + m + 1, sizeof(*v));
	for (size_t i = 0; i < mg_config_nkeys; i++)
		v[n++] = mg_config_keys[i].name;
	for (size_t i = 0; i < m; i++)
		v[n++] = extra[i];
	return v;
}

static int parse_lint(struct mg_config *cfg, const cJSON *o, const char *where,
		      struct mg_err *err)
{
	const cJSON *it;

	if (!cJSON_IsObject(o)) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "'lint' in %s must be an object", where);
		return MG_ECONFIG;
	}
	cJSON_ArrayForEach(it, o) {
		bool known = false;
		for (size_t i = 0; lint_keys[i]; i++)
			known |= !strcmp(it->string, lint_keys[i]);
		if (!known)
			return unknown_key(it->string, "'lint'", lint_keys, err);
	}
	/* an environment's lint object replaces the top-level one */
	cfg->lint.rules = NULL;
	cfg->lint.pg_version = 0;
	for (size_t i = 0; i < cfg->lint.nexclude; i++)
		free(cfg->lint.exclude[i]);
	free(cfg->lint.exclude);
	cfg->lint.exclude = NULL;
	cfg->lint.nexclude = 0;
	free(cfg->lint.fail_on);
	cfg->lint.fail_on = NULL;

	if ((it = cJSON_GetObjectItemCaseSensitive(o, "rules"))) {
		const cJSON *r;
		if (!cJSON_IsObject(it)) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "'lint.rules' must be an object of \"rule-id\": "
				   "\"off|info|warning|error\"");
			return MG_ECONFIG;
		}
		cJSON_ArrayForEach(r, it) {
			bool ok = false;
			for (size_t i = 0; cJSON_IsString(r) && levels[i]; i++)
				ok |= !strcmp(r->valuestring, levels[i]);
			if (!ok) {
				mg_err_set(err, MG_ECONFIG, "bad-config-value",
					   "'lint.rules.%s' must be one of off, info, "
					   "warning, error", r->string);
				return MG_ECONFIG;
			}
		}
		cfg->lint.rules = it;
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(o, "pg_version"))) {
		double v = cJSON_GetNumberValue(it);
		if (!cJSON_IsNumber(it) || !(v >= 9 && v <= 30) || v != (int)v) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "'lint.pg_version' must be a PostgreSQL major "
				   "version such as 15");
			return MG_ECONFIG;
		}
		cfg->lint.pg_version = (int)v;
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(o, "exclude"))) {
		const cJSON *g;
		if (!cJSON_IsArray(it)) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "'lint.exclude' must be an array of glob strings");
			return MG_ECONFIG;
		}
		cfg->lint.exclude = mg_xcalloc((size_t)cJSON_GetArraySize(it) + 1,
					       sizeof(char *));
		cJSON_ArrayForEach(g, it) {
			if (!cJSON_IsString(g)) {
				mg_err_set(err, MG_ECONFIG, "bad-config-value",
					   "'lint.exclude' must hold only strings");
				return MG_ECONFIG;
			}
			cfg->lint.exclude[cfg->lint.nexclude++] = mg_xstrdup(g->valuestring);
		}
	}
	if ((it = cJSON_GetObjectItemCaseSensitive(o, "fail_on"))) {
		bool ok = false;
		for (size_t i = 1; cJSON_IsString(it) && levels[i]; i++)
			ok |= !strcmp(it->valuestring, levels[i]);
		if (!ok) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "'lint.fail_on' must be one of info, warning, error");
			return MG_ECONFIG;
		}
		cfg->lint.fail_on = mg_xstrdup(it->valuestring);
	}
	return 0;
}

/* Apply an object of keys (top level or one environment). */
static int apply_object(struct mg_config *cfg, const cJSON *o, const char *file,
			const char *where, bool top, struct mg_err *err)
{
	static const char *const top_extra[] = { "environments",
		"default_environment", "lint", "$schema", NULL };
	static const char *const env_extra[] = { "lint", NULL };
	const char **names = names_with(top ? top_extra : env_extra);
	const cJSON *it;
	int rc = 0;

	cJSON_ArrayForEach(it, o) {
		int i = mg_config_key_index(it->string);
		char *val = NULL, *w;
		bool extra = false;

		for (size_t k = 0; !extra && (top ? top_extra : env_extra)[k]; k++)
			extra = !strcmp(it->string, (top ? top_extra : env_extra)[k]);
		if (extra) {
			if (!strcmp(it->string, "lint"))
				rc = parse_lint(cfg, it, where, err);
			if (rc)
				break;
			continue;
		}
		if (i < 0 || strcmp(it->string, mg_config_keys[i].name)) {
			rc = unknown_key(it->string, where, names, err);
			break;
		}
		w = mg_xasprintf("%s (%s)", file, it->string);
		if (cJSON_IsString(it)) {
			rc = expand(it->valuestring, &val, w, err);
		} else if (cJSON_IsNumber(it) && mg_config_keys[i].type == MG_CFG_INT) {
			val = mg_xasprintf("%.0f", it->valuedouble);
		} else if (cJSON_IsNumber(it) && mg_config_keys[i].type == MG_CFG_DURATION &&
			   it->valuedouble == 0) {
			val = mg_xstrdup("0");
		} else if (cJSON_IsNull(it)) {
			val = mg_xstrdup("");
		} else {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "'%s' in %s must be a %s", it->string, where,
				   mg_config_keys[i].type == MG_CFG_INT ? "number" : "string");
			if (mg_config_keys[i].type == MG_CFG_DURATION)
				mg_err_hint(err, "write durations as strings with a unit, "
						 "e.g. \"5s\"");
			rc = MG_ECONFIG;
		}
		if (!rc)
			rc = set_value(cfg, (size_t)i, val, MG_ORIGIN_FILE, w, err);
		free(val);
		free(w);
		if (rc)
			break;
	}
	free(names);
	return rc;
}

/* Line and column of byte offset off in text. */
static void text_pos(const char *text, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

static int load_file(struct mg_config *cfg, const char *path, const char *env_name,
		     struct mg_err *err)
{
	char *text;
	size_t len;
	const char *end = NULL;
	const cJSON *envs, *dflt, *sel = NULL;
	int rc;

	if ((rc = mg_fs_read(path, &text, &len, err))) {
		mg_err_prefix(err, "cannot read config file");
		return rc;
	}
	cfg->file = mg_xstrdup(path);
	cfg->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (!cfg->root || !cJSON_IsObject(cfg->root)) {
		unsigned line, col;
		size_t off = cfg->root ? 0 : (end ? (size_t)(end - text) : 0);
		text_pos(text, off, &line, &col);
		mg_err_set(err, MG_ECONFIG, "bad-config-json",
			   cfg->root ? "the config must be a JSON object"
				     : "invalid JSON in the config file");
		mg_err_at(err, path, line, col);
		free(text);
		return MG_ECONFIG;
	}
	free(text);
	envs = cJSON_GetObjectItemCaseSensitive(cfg->root, "environments");
	dflt = cJSON_GetObjectItemCaseSensitive(cfg->root, "default_environment");
	if (envs && !cJSON_IsObject(envs)) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "'environments' in %s must be an object of named "
			   "environments", path);
		return MG_ECONFIG;
	}
	if (dflt && !cJSON_IsString(dflt)) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "'default_environment' in %s must be a string", path);
		return MG_ECONFIG;
	}
	if (!env_name && dflt)
		env_name = dflt->valuestring;
	if (env_name) {
		sel = envs ? cJSON_GetObjectItemCaseSensitive(envs, env_name) : NULL;
		if (!sel || !cJSON_IsObject(sel)) {
			const char **names = mg_xcalloc((size_t)cJSON_GetArraySize(envs) + 1,
							sizeof(char *));
			const cJSON *e;
			size_t n = 0;
			const char *near;
			cJSON_ArrayForEach(e, envs) names[n++] = e->string;
			near = mg_config_nearest(env_name, names);
			mg_err_set(err, MG_ECONFIG, "unknown-environment",
				   "no environment '%s' in %s", env_name, path);
			if (near)
				mg_err_hint(err, "did you mean '%s'?", near);
			else if (n)
				mg_err_hint(err, "the environments are under \"environments\" "
						 "(first: '%s')", names[0]);
			else
				mg_err_hint(err, "add \"environments\": {\"%s\": {...}} "
						 "to the config", env_name);
			free(names);
			return MG_ECONFIG;
		}
		cfg->env_name = mg_xstrdup(env_name);
	}
	if ((rc = apply_object(cfg, cfg->root, path, path, true, err)))
		return rc;
	if (sel) {
		char *w = mg_xasprintf("%s (environment '%s')", path, env_name);
		char *f = mg_xasprintf("%s [%s]", path, env_name);
		rc = apply_object(cfg, sel, f, w, false, err);
		free(w);
		free(f);
	}
	return rc;
}

/* Left at its default, the migrations directory is ./migrations, or
 * ./db/migrations (dbmate's place) when only that one exists. */
static void dflt_dir(struct mg_config *cfg)
{
	int k = mg_config_key_index("dir");

	if (k < 0 || cfg->origin[k] != MG_ORIGIN_DEFAULT)
		return;
	if (!mg_fs_is_dir(cfg->dir) && mg_fs_is_dir("db/migrations")) {
		free(cfg->dir);
		cfg->dir = mg_xstrdup("db/migrations");
	}
}

int mg_config_load(struct mg_config *cfg, const struct mg_config_args *args,
		   struct mg_err *err)
{
	static const struct mg_config_args none;
	const char *file, *env_name;
	int rc;

	memset(cfg, 0, sizeof(*cfg));
	if (!args)
		args = &none;
	for (size_t i = 0; i < mg_config_nkeys; i++)
		if (mg_config_keys[i].def &&
		    (rc = set_value(cfg, i, mg_config_keys[i].def, MG_ORIGIN_DEFAULT,
				    "default", err)))
			return rc;
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		free(cfg->origin_name[i]);
		cfg->origin_name[i] = NULL;
	}

	file = args->file;
	if (!file && (file = getenv("MIGRATE_CONFIG")) && !*file)
		file = NULL;
	env_name = args->env_name;
	if (!env_name && (env_name = getenv("MIGRATE_ENV")) && !*env_name)
		env_name = NULL;
	if (!file && mg_fs_is_file("migrate.json"))
		file = "migrate.json";
	if (file) {
		if ((rc = load_file(cfg, file, env_name, err)))
			return rc;
	} else if (env_name) {
		mg_err_set(err, MG_ECONFIG, "unknown-environment",
			   "environment '%s' requested but no config file was found",
			   env_name);
		mg_err_hint(err, "create migrate.json with \"environments\", or pass "
				 "--config FILE");
		return MG_ECONFIG;
	}

	/* environment variables: MIGRATE_<KEY>, then the plain alias */
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		char name[64];
		const char *v, *where = name;
		size_t k;
		snprintf(name, sizeof(name), "MIGRATE_%s", mg_config_keys[i].name);
		for (k = 0; name[k]; k++)
			name[k] = (char)toupper((unsigned char)name[k]);
		v = getenv(name);
		if (!v && mg_config_keys[i].alias_env) {
			v = getenv(mg_config_keys[i].alias_env);
			where = mg_config_keys[i].alias_env;
		}
		if (v && (rc = set_value(cfg, i, v, MG_ORIGIN_ENV, where, err)))
			return rc;
	}
	/* flags */
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		char flag[64];
		size_t k;
		if (!args->values[i])
			continue;
		snprintf(flag, sizeof(flag), "--%s", mg_config_keys[i].name);
		for (k = 0; flag[k]; k++)
			if (flag[k] == '_')
				flag[k] = '-';
		if ((rc = set_value(cfg, i, args->values[i], MG_ORIGIN_FLAG, flag, err)))
			return rc;
	}
	if (!cfg->dir) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "the migrations directory is empty");
		return MG_ECONFIG;
	}
	dflt_dir(cfg);
	if (!cfg->migrations_table) {
		mg_err_set(err, MG_ECONFIG, "bad-config-value",
			   "migrations_table is empty");
		return MG_ECONFIG;
	}
	return 0;
}

void mg_config_release(struct mg_config *cfg)
{
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		if (mg_config_keys[i].type == MG_CFG_STRING ||
		    mg_config_keys[i].type == MG_CFG_PATH)
			free(*str_field(cfg, i));
		free(cfg->origin_name[i]);
	}
	for (size_t i = 0; i < cfg->lint.nexclude; i++)
		free(cfg->lint.exclude[i]);
	free(cfg->lint.exclude);
	free(cfg->lint.fail_on);
	free(cfg->file);
	free(cfg->env_name);
	cJSON_Delete(cfg->root);
	memset(cfg, 0, sizeof(*cfg));
}
