/* Unit tests: src/config (table, precedence, environments, errors, lint,
 * and docs/config.md documenting every key). */
#include <ctype.h>
#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "config/config.h"
#include "core/fs.h"
#include "test.h"

/* Clear every variable the loader reads, and run in a fresh directory. */
static void clean_env(void)
{
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		char name[64];
		snprintf(name, sizeof(name), "MIGRATE_%s", mg_config_keys[i].name);
		for (char *p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		unsetenv(name);
		if (mg_config_keys[i].alias_env)
			unsetenv(mg_config_keys[i].alias_env);
	}
	unsetenv("MIGRATE_CONFIG");
	unsetenv("MIGRATE_ENV");
}

static const char *in_tmp(void)
{
	const char *d = mg_test_tmpdir();
	if (chdir(d) != 0)
		abort();
	return d;
}

TEST(test_config__default_dir_falls_back_to_db_migrations)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;

	clean_env();
	in_tmp();
	CHECK(mkdir("db", 0755) == 0 || errno == EEXIST);
	CHECK(mkdir("db/migrations", 0755) == 0 || errno == EEXIST);
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK_STR(c.dir, "db/migrations");
	mg_config_release(&c);
	/* ./migrations wins when both exist */
	CHECK(mkdir("migrations", 0755) == 0 || errno == EEXIST);
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK_STR(c.dir, "migrations");
	mg_config_release(&c);
	rmdir("migrations");
	rmdir("db/migrations");
	rmdir("db");
}

TEST(test_config__defaults)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;

	clean_env();
	in_tmp();
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK(c.database_url == NULL);
	CHECK_STR(c.dir, "migrations");
	CHECK_STR(c.migrations_table, "schema_migrations");
	CHECK(c.migrations_schema == NULL);
	CHECK_INT(c.lock_timeout_ms, 5000);
	CHECK_INT(c.statement_timeout_ms, 0);
	CHECK_INT(c.lock_retries, 3);
	CHECK_INT(c.lock_retry_backoff_ms, 1000);
	CHECK_INT(c.lock_wait_ms, 60000);
	CHECK(c.file == NULL);
	CHECK_STR(mg_config_origin(&c, 1), "default");
	mg_config_release(&c);
}

TEST(test_config__precedence_flag_env_file_default)
{
	struct mg_config c;
	struct mg_config_args a;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "migrate.json",
		      "{\"dir\": \"from-file\", \"lock_timeout\": \"2s\", "
		      "\"migrations_table\": \"file_table\", \"lock_retries\": 7}");
	setenv("MIGRATIONS_DIR", "from-alias-env", 1);
	setenv("MIGRATE_LOCK_TIMEOUT", "3s", 1);
	memset(&a, 0, sizeof(a));
	a.values[mg_config_key_index("lock-timeout")] = "4s";
	CHECK_INT(mg_config_load(&c, &a, &e), 0);
	CHECK_STR(c.file, "migrate.json");
	CHECK_STR(c.dir, "from-alias-env");                /* env > file */
	CHECK_INT(c.lock_timeout_ms, 4000);                /* flag > env */
	CHECK_STR(c.migrations_table, "file_table");       /* file > default */
	CHECK_INT(c.lock_retries, 7);
	CHECK_STR(mg_config_origin(&c, (size_t)mg_config_key_index("lock_timeout")),
		  "--lock-timeout");
	CHECK_STR(mg_config_origin(&c, (size_t)mg_config_key_index("dir")), "MIGRATIONS_DIR");
	mg_config_release(&c);
	/* MIGRATE_DIR beats the plain alias */
	setenv("MIGRATE_DIR", "from-migrate-env", 1);
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK_STR(c.dir, "from-migrate-env");
	mg_config_release(&c);
	clean_env();
}

TEST(test_config__environments)
{
	struct mg_config c;
	struct mg_config_args a;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "cfg.json",
		      "{\"dir\": \"m\", \"default_environment\": \"development\",\n"
		      " \"environments\": {\n"
		      "  \"development\": {\"database_url\": \"sqlite:dev.db\"},\n"
		      "  \"production\": {\"database_url\": \"postgres://p/db\", "
		      "\"lock_timeout\": \"1s\"}}}\n");
	memset(&a, 0, sizeof(a));
	a.file = "cfg.json";
	CHECK_INT(mg_config_load(&c, &a, &e), 0);
	CHECK_STR(c.env_name, "development");
	CHECK_STR(c.database_url, "sqlite:dev.db");
	CHECK_STR(c.dir, "m");
	mg_config_release(&c);
	a.env_name = "production";
	CHECK_INT(mg_config_load(&c, &a, &e), 0);
	CHECK_STR(c.database_url, "postgres://p/db");
	CHECK_INT(c.lock_timeout_ms, 1000);
	mg_config_release(&c);
	a.env_name = NULL;
	setenv("MIGRATE_ENV", "production", 1);
	CHECK_INT(mg_config_load(&c, &a, &e), 0);
	CHECK_STR(c.env_name, "production");
	mg_config_release(&c);
	a.env_name = "prodution";
	CHECK_INT(mg_config_load(&c, &a, &e), MG_ECONFIG);
	CHECK_STR(e.id, "unknown-environment");
	CHECK_CONTAINS(e.hint, "production");
	mg_err_release(&e);
	mg_config_release(&c);
	clean_env();
}

TEST(test_config__unknown_key_did_you_mean)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "migrate.json", "{\"lock_timout\": \"5s\"}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_STR(e.id, "unknown-config-key");
	CHECK_CONTAINS(e.msg, "lock_timout");
	CHECK_CONTAINS(e.hint, "lock_timeout");
	mg_err_release(&e);
	mg_config_release(&c);
	mg_test_write(d, "migrate.json",
		      "{\"environments\": {\"x\": {\"databse_url\": \"a\"}}, "
		      "\"default_environment\": \"x\"}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.hint, "database_url");
	mg_err_release(&e);
	mg_config_release(&c);
}

TEST(test_config__bad_json_positioned)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "migrate.json", "{\n  \"dir\": \"m\",\n  \"lock_wait\" 5\n}\n");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_STR(e.id, "bad-config-json");
	CHECK_STR(e.file, "migrate.json");
	CHECK_INT(e.line, 3);
	mg_err_release(&e);
	mg_config_release(&c);
}

TEST(test_config__bad_values_name_their_origin)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	setenv("MIGRATE_LOCK_WAIT", "60", 1);
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.msg, "MIGRATE_LOCK_WAIT");
	mg_err_release(&e);
	mg_config_release(&c);
	unsetenv("MIGRATE_LOCK_WAIT");
	mg_test_write(d, "migrate.json", "{\"lock_timeout\": 5}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.hint, "\"5s\"");
	mg_err_release(&e);
	mg_config_release(&c);
	mg_test_write(d, "migrate.json", "{\"dialect\": \"oracle\"}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	mg_err_release(&e);
	mg_config_release(&c);
	/* an explicit file must exist */
	setenv("MIGRATE_CONFIG", "nope.json", 1);
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_EIO);
	mg_err_release(&e);
	mg_config_release(&c);
	clean_env();
}

TEST(test_config__expand_env_in_strings)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "migrate.json", "{\"database_url\": \"postgres://u:${PW_FOR_TEST}@h/db\"}");
	setenv("PW_FOR_TEST", "pw", 1);
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK_STR(c.database_url, "postgres://u:pw@h/db");
	mg_config_release(&c);
	unsetenv("PW_FOR_TEST");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.msg, "PW_FOR_TEST");
	mg_err_release(&e);
	mg_config_release(&c);
}

TEST(test_config__lint_object)
{
	struct mg_config c;
	struct mg_err e = MG_ERR_INIT;
	const char *d;

	clean_env();
	d = in_tmp();
	mg_test_write(d, "migrate.json",
		      "{\"lint\": {\"rules\": {\"drop-column\": \"off\", "
		      "\"add-index\": \"warning\"}, \"pg_version\": 14, "
		      "\"exclude\": [\"legacy/*.sql\"], \"fail_on\": \"warning\"}}");
	CHECK_INT(mg_config_load(&c, NULL, &e), 0);
	CHECK(c.lint.rules != NULL);
	CHECK_STR(cJSON_GetObjectItemCaseSensitive(c.lint.rules, "drop-column")->valuestring,
		  "off");
	CHECK_INT(c.lint.pg_version, 14);
	CHECK_INT(c.lint.nexclude, 1);
	CHECK_STR(c.lint.exclude[0], "legacy/*.sql");
	CHECK_STR(c.lint.fail_on, "warning");
	mg_config_release(&c);
	mg_test_write(d, "migrate.json", "{\"lint\": {\"rules\": {\"x\": \"fatal\"}}}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.msg, "lint.rules.x");
	mg_err_release(&e);
	mg_config_release(&c);
	mg_test_write(d, "migrate.json", "{\"lint\": {\"fail-on\": \"error\"}}");
	CHECK_INT(mg_config_load(&c, NULL, &e), MG_ECONFIG);
	CHECK_CONTAINS(e.hint, "fail_on");
	mg_err_release(&e);
	mg_config_release(&c);
}

TEST(test_config__durations)
{
	long ms;
	char buf[32];

	CHECK_INT(mg_config_parse_duration("5s", &ms), 0);
	CHECK_INT(ms, 5000);
	CHECK_INT(mg_config_parse_duration("250ms", &ms), 0);
	CHECK_INT(ms, 250);
	CHECK_INT(mg_config_parse_duration("2min", &ms), 0);
	CHECK_INT(ms, 120000);
	CHECK_INT(mg_config_parse_duration("1h", &ms), 0);
	CHECK_INT(ms, 3600000);
	CHECK_INT(mg_config_parse_duration("off", &ms), 0);
	CHECK_INT(ms, 0);
	CHECK_INT(mg_config_parse_duration("0", &ms), 0);
	CHECK_INT(mg_config_parse_duration("5", &ms), -1);
	CHECK_INT(mg_config_parse_duration("-1s", &ms), -1);
	CHECK_INT(mg_config_parse_duration("5 parsecs", &ms), -1);
	mg_config_format_duration(120000, buf, sizeof(buf));
	CHECK_STR(buf, "2min");
	mg_config_format_duration(1500, buf, sizeof(buf));
	CHECK_STR(buf, "1500ms");
	CHECK_INT(mg_config_key_index("lock-wait"), mg_config_key_index("lock_wait"));
	CHECK_INT(mg_config_key_index("nope"), -1);
}

TEST(test_config__docs_list_every_key)
{
	char path[1024], *text;
	const char *slash = strrchr(__FILE__, '/');
	size_t len;
	struct mg_err e = MG_ERR_INIT;

	snprintf(path, sizeof(path), "%.*s/../../docs/config.md",
		 (int)(slash - __FILE__), __FILE__);
	CHECK_INT(mg_fs_read(path, &text, &len, &e), 0);
	for (size_t i = 0; i < mg_config_nkeys; i++) {
		char needle[80];
		snprintf(needle, sizeof(needle), "| `%s` |", mg_config_keys[i].name);
		CHECK_CONTAINS(text, needle);
	}
	free(text);
}
