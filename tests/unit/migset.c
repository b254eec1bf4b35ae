/* Unit tests: src/migset (layouts, order, errors). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "migset/migset.h"
#include "test.h"

static int load(const char *dir, struct mg_migset *s, struct mg_err *e)
{
	return mg_migset_load(s, dir, NULL, e);
}

TEST(test_migset__sections_layout)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d, "20240102000000_b.sql",
		      "-- migrate:description Add b\n-- migrate:up\nCREATE TABLE b(x int);\n"
		      "-- migrate:down\nDROP TABLE b;\n");
	mg_test_write(d, "20240101000000_a.sql",
		      "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t(x);\n");
	mg_test_write(d, "README.md", "not a migration");
	CHECK_INT(load(d, &s, &e), 0);
	CHECK_INT(s.layout, MG_LAYOUT_SECTIONS);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.items[0].version, "20240101000000");
	CHECK(s.items[0].up.no_tx);
	CHECK(!s.items[0].down.present);
	CHECK_STR(s.items[1].name, "b");
	CHECK_STR(s.items[1].description, "Add b");
	CHECK(s.items[1].down.present);
	CHECK(!s.items[1].down.empty);
	mg_migset_release(&s);
}

TEST(test_migset__pairs_checksum_ignores_crlf)
{
	const char *d1 = mg_test_tmpdir(), *d2 = mg_test_tmpdir();
	struct mg_migset a, b;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d1, "0001_x.up.sql", "CREATE TABLE x(a int);\nSELECT 1;\n");
	mg_test_write(d2, "0001_x.up.sql", "\xef\xbb\xbf" "CREATE TABLE x(a int);\r\nSELECT 1;\r\n");
	mg_test_write(d2, "0001_x.down.sql", "DROP TABLE x;");
	CHECK_INT(load(d1, &a, &e), 0);
	CHECK_INT(load(d2, &b, &e), 0);
	CHECK_INT(a.layout, MG_LAYOUT_PAIRS);
	CHECK_STR(a.items[0].up.checksum, b.items[0].up.checksum);
	CHECK(!a.items[0].down.present);
	CHECK(b.items[0].down.present);
	mg_migset_release(&a);
	mg_migset_release(&b);
}

TEST(test_migset__release_dirs_ordered_semantically)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d, "v1.10.0_to_v1.11.0/upgrade.sql", "SELECT 11;");
	mg_test_write(d, "v1.2.0_to_v1.10.0/upgrade.sql", "SELECT 10;");
	mg_test_write(d, "v1.2.0_to_v1.10.0/downgrade.sql", "SELECT -10;");
	mg_test_write(d, "v1.2.0_to_v1.10.0/README.md", "# Big release\n");
	CHECK_INT(load(d, &s, &e), 0);
	CHECK_INT(s.layout, MG_LAYOUT_RELEASES);
	CHECK_STR(s.items[0].version, "1.10.0");
	CHECK_STR(s.items[1].version, "1.11.0");
	CHECK_STR(s.items[0].description, "Big release");
	mg_migset_release(&s);
}

TEST(test_migset__diesel_dirs_with_metadata)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d, "2024-01-01-120000_create users/up.sql", "CREATE TABLE u();");
	mg_test_write(d, "2024-01-01-120000_create users/down.sql", "DROP TABLE u;");
	mg_test_write(d, "2024-02-01-120000_idx/up.sql", "CREATE INDEX CONCURRENTLY i ON u(x);");
	mg_test_write(d, "2024-02-01-120000_idx/metadata.toml", "run_in_transaction = false\n");
	CHECK_INT(load(d, &s, &e), 0);
	CHECK_INT(s.layout, MG_LAYOUT_DIRS);
	CHECK_STR(s.items[0].name, "create users");
	CHECK(!s.items[0].up.no_tx);
	CHECK(s.items[1].up.no_tx);
	mg_migset_release(&s);
}

TEST(test_migset__errors_name_the_files)
{
	const char *d1 = mg_test_tmpdir(), *d2 = mg_test_tmpdir(), *d3 = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d1, "0001_a.up.sql", "SELECT 1;");
	mg_test_write(d1, "1_b.up.sql", "SELECT 1;");
	CHECK_INT(load(d1, &s, &e), MG_EINPUT);
	CHECK_STR(e.id, "duplicate-version");
	CHECK_CONTAINS(e.msg, "0001_a.up.sql");
	CHECK_CONTAINS(e.msg, "1_b.up.sql");
	mg_err_release(&e);

	mg_test_write(d2, "0002_x.down.sql", "SELECT 1;");
	CHECK_INT(load(d2, &s, &e), MG_EINPUT);
	CHECK_STR(e.id, "missing-up");
	mg_err_release(&e);

	mg_test_write(d3, "create_users.sql", "-- migrate:up\nSELECT 1;");
	CHECK_INT(load(d3, &s, &e), MG_EINPUT);
	CHECK_STR(e.id, "bad-migration-name");
	CHECK_CONTAINS(e.file, "create_users.sql");
	mg_err_release(&e);
}

TEST(test_migset__pattern_and_dialect_suffix)
{
	const char *d = mg_test_tmpdir(), *d2 = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;
	struct mg_migset_opts o = { "postgres", NULL };
	struct mg_migset_opts p = { NULL, "^V(?<version>\\d+)__(?<name>.+)\\.sql$" };

	mg_test_write(d, "20200101_a.postgres.up.sql", "SELECT 'pg';");
	mg_test_write(d, "20200101_a.sqlite3.up.sql", "SELECT 'lite';");
	mg_test_write(d, "20200102_b.autocommit.up.sql", "SELECT 2;");
	CHECK_INT(mg_migset_load(&s, d, &o, &e), 0);
	CHECK_INT(s.n, 2);
	CHECK_CONTAINS(s.items[0].up.src->text, "pg");
	CHECK(s.items[1].up.no_tx);
	mg_migset_release(&s);

	mg_test_write(d2, "V2__second.sql", "-- migrate:up\nSELECT 2;");
	mg_test_write(d2, "V10__tenth.sql", "-- migrate:up\nSELECT 10;");
	CHECK_INT(mg_migset_load(&s, d2, &p, &e), 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.items[1].version, "10");
	CHECK_STR(s.items[1].name, "tenth");
	mg_migset_release(&s);
}

TEST(test_migset__sql_before_up_marker_rejected)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d, "1_a.sql", "-- header\nDROP TABLE x;\n-- migrate:up\nSELECT 1;");
	CHECK_INT(load(d, &s, &e), MG_EINPUT);
	CHECK_STR(e.id, "sql-outside-section");
	CHECK_INT(e.line, 2);
	CHECK_INT(e.col, 1);
	mg_err_release(&e);
}

TEST(test_migset__flags_no_checksums)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset a, b;
	struct mg_err e = MG_ERR_INIT;

	mg_test_write(d, "0001_x.sql", "-- migrate:up\nCREATE TABLE x(a int);\n");
	mg_test_write(d, "0002_y.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");
	CHECK_INT(mg_migset_load_flags(&a, d, NULL, 0, &e), 0);
	CHECK_INT(mg_migset_load_flags(&b, d, NULL, MG_MIGSET_NO_CHECKSUMS, &e), 0);
	CHECK_INT(a.n, 2);
	CHECK_INT(b.n, 2);
	CHECK_INT(strlen(a.items[0].up.checksum), 64);
	CHECK_INT(strlen(a.items[1].down.checksum), 64);
	CHECK_STR(b.items[0].up.checksum, "");
	CHECK_STR(b.items[1].up.checksum, "");
	CHECK_STR(b.items[1].down.checksum, "");
	/* everything else is loaded the same */
	CHECK_INT(b.items[1].up.off, a.items[1].up.off);
	CHECK_INT(b.items[1].down.end, a.items[1].down.end);
	mg_migset_release(&a);
	mg_migset_release(&b);
}

TEST(test_migset__flags_keep_unmatched)
{
	const char *d = mg_test_tmpdir(), *d2 = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	/* diesel directories, a stray script, a directory that is no
	 * migration, and a non-.sql file (ignored as always) */
	mg_test_write(d, "2019-06-14-175833_b/up.sql", "SELECT 2;");
	mg_test_write(d, "20141021103503_a/up.sql", "SELECT 1;");
	mg_test_write(d, "20141021103503_a/down.sql", "SELECT -1;");
	mg_test_write(d, "data_fix.sql", "UPDATE t SET x = 1;");
	mg_test_write(d, "seeds/users.sql", "INSERT INTO u VALUES (1);");
	mg_test_write(d, "README.md", "notes");

	/* without the flag: refused, naming the file (status and up) */
	CHECK_INT(mg_migset_load(&s, d, NULL, &e), MG_EINPUT);
	CHECK_STR(e.id, "bad-migration-name");
	CHECK_CONTAINS(e.file, "data_fix.sql");
	mg_err_release(&e);

	CHECK_INT(mg_migset_load_flags(&s, d, NULL, MG_MIGSET_KEEP_UNMATCHED, &e), 0);
	CHECK_INT(s.layout, MG_LAYOUT_DIRS);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.items[0].version, "20141021103503");
	CHECK_STR(s.items[1].version, "2019-06-14-175833");
	CHECK_INT(s.nunmatched, 2);
	CHECK_CONTAINS(s.unmatched[0].path, "data_fix.sql");
	CHECK(!s.unmatched[0].is_dir);
	CHECK_CONTAINS(s.unmatched[0].why, "does not start with a version");
	CHECK_CONTAINS(s.unmatched[1].path, "seeds");
	CHECK(s.unmatched[1].is_dir);
	mg_migset_release(&s);

	/* other problems still fail the load */
	mg_test_write(d2, "0001_a.up.sql", "SELECT 1;");
	mg_test_write(d2, "1_b.up.sql", "SELECT 1;");
	mg_test_write(d2, "stray.sql", "SELECT 1;");
	CHECK_INT(mg_migset_load_flags(&s, d2, NULL, MG_MIGSET_KEEP_UNMATCHED, &e),
		  MG_EINPUT);
	CHECK_STR(e.id, "duplicate-version");
	mg_err_release(&e);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Directory entries are taken in strcmp order of their names, whatever
 * readdir's order: names of every length, with long common prefixes
 * (the loader's sort compares their first 16 bytes as numbers), bytes
 * above 0x7f and prefixes of each other. Strays (KEEP_UNMATCHED) come out
 * in the order they were taken. */
TEST(test_migset__entries_taken_in_name_order)
{
	const char *d = mg_test_tmpdir();
	static const char *const fixed[] = {
		"a.sql", "ab.sql", "abcdefghijklmno.sql", "abcdefghijklmnop.sql",
		"abcdefghijklmnopq.sql", "abcdefghijklmnoq.sql", "x\xc3\xa9.sql",
		"x\x7f.sql", "x\xff.sql", "xx.sql", "x.sql",
		"ZZZZZZZZZZZZZZZZZZZZZZZZ.sql", "ZZZZZZZZZZZZZZZZZZZZZZZY.sql",
	};
	enum { NRAND = 400 };
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]), n = 0;
	char *names[NRAND + sizeof(fixed) / sizeof(fixed[0])];
	unsigned seed = 7;
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;

	for (size_t i = 0; i < nfixed; i++)
		names[n++] = mg_xstrdup(fixed[i]);
	for (int i = 0; i < NRAND; i++) {
		/* "x" + a shared prefix of random length + random tail */
		char b[64];
		int pre = (int)(rand_r(&seed) % 24), tail = 1 + (int)(rand_r(&seed) % 6), k = 0;
		b[k++] = 'x';
		for (int j = 0; j < pre; j++)
			b[k++] = 'p';
		for (int j = 0; j < tail; j++)
			b[k++] = "ab\x80\xfe"[rand_r(&seed) % 4];
		memcpy(b + k, ".sql", 5);
		bool dup = false;
		for (size_t j = 0; j < n; j++)
			dup = dup || !strcmp(names[j], b);
		if (!dup)
			names[n++] = mg_xstrdup(b);
	}
	for (size_t i = 0; i < n; i++)
		mg_test_write(d, names[i], "SELECT 1;\n");
	qsort(names, n, sizeof(names[0]), cmp_str);
	CHECK_INT(mg_migset_load_flags(&s, d, NULL, MG_MIGSET_KEEP_UNMATCHED, &e), 0);
	CHECK_INT(s.nunmatched, n);
	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(s.unmatched[i].path, '/') + 1;
		if (strcmp(base, names[i])) {
			mg_test_fail(__FILE__, __LINE__, "entry %zu is '%s', expected '%s'",
				     i, base, names[i]);
			break;
		}
	}
	mg_migset_release(&s);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
}

/* The first file of a version with the same name and layout is the one
 * the second file (a down, a dialect variant) joins; a second file for
 * the same slot is a duplicate, named by the one taken first. */
TEST(test_migset__files_of_one_migration_found_together)
{
	const char *d = mg_test_tmpdir(), *d2 = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;
	char name[64];

	/* 300 pairs (the table grows several times), versions with and
	 * without leading zeros, one dialect variant */
	for (int i = 1; i <= 300; i++) {
		snprintf(name, sizeof(name), i % 3 ? "%04d_m%d.up.sql" : "%d_m%d.up.sql", i, i);
		mg_test_write(d, name, "SELECT 1;\n");
		snprintf(name, sizeof(name), i % 3 ? "%04d_m%d.down.sql" : "%d_m%d.down.sql", i, i);
		mg_test_write(d, name, "SELECT 2;\n");
	}
	mg_test_write(d, "0301_x.up.sql", "SELECT 3;\n");
	mg_test_write(d, "0301_x.sqlite.up.sql", "SELECT 4;\n");
	{
		struct mg_migset_opts o = { "sqlite", NULL };
		CHECK_INT(mg_migset_load(&s, d, &o, &e), 0);
	}
	CHECK_INT(s.n, 301);
	for (size_t i = 0; i < 300; i++) {
		CHECK(s.items[i].up.present);
		CHECK(s.items[i].down.present);
		CHECK(strstr(s.items[i].up.src->path, ".up.sql"));
		CHECK(strstr(s.items[i].down.src->path, ".down.sql"));
	}
	CHECK_CONTAINS(s.items[300].up.src->path, "0301_x.sqlite.up.sql");
	mg_migset_release(&s);

	mg_test_write(d2, "0001_a.up.sql", "SELECT 1;\n");
	mg_test_write(d2, "0001_a.no-transaction.up.sql", "SELECT 1;\n");
	CHECK_INT(mg_migset_load(&s, d2, NULL, &e), MG_EINPUT);
	CHECK_STR(e.id, "duplicate-version");
	CHECK_CONTAINS(e.msg, "0001_a.no-transaction.up.sql'");
	CHECK_CONTAINS(e.file, "0001_a.up.sql");
	mg_err_release(&e);
}
