/* Unit tests: the fast paths of loading a migrations directory: one-read
 * mg_fs_read (empty, exact, large files), the line map, discovery by
 * d_type with symbolic links, and the in-place checksum (with and without
 * CR). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/sha256.h"
#include "core/xalloc.h"
#include "migset/migset.h"
#include "sql/source.h"
#include "test.h"

static char *path_in(const char *d, const char *name)
{
	return mg_fs_join(d, name);
}

TEST(test_loadpath__fs_read_sizes)
{
	const char *d = mg_test_tmpdir();
	static const size_t sizes[] = { 0, 1, 4095, 4096, 4097, 65536, 200001 };
	struct mg_err e = MG_ERR_INIT;

	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k], len = 99;
		char *want = mg_xmalloc(n + 1), *got = NULL, name[32], *p;
		for (size_t i = 0; i < n; i++)
			want[i] = (char)('a' + (i * 7 + k) % 26);
		want[n] = '\0';
		snprintf(name, sizeof(name), "f%zu.sql", n);
		mg_test_write(d, name, want);
		p = path_in(d, name);
		CHECK_INT(mg_fs_read(p, &got, &len, &e), 0);
		CHECK_INT(len, n);
		CHECK(got[n] == '\0');
		CHECK(memcmp(got, want, n) == 0);
		free(got);
		free(want);
		free(p);
	}
}

TEST(test_loadpath__fs_read_refuses_dirs_and_fifos)
{
	const char *d = mg_test_tmpdir();
	struct mg_err e = MG_ERR_INIT;
	char *t = NULL, *f = path_in(d, "pipe.sql");
	size_t n;

	CHECK(mg_fs_read(d, &t, &n, &e) == MG_EIO);
	CHECK(t == NULL);
	mg_err_release(&e);
	CHECK_INT(mkfifo(f, 0600), 0);
	CHECK(mg_fs_read(f, &t, &n, &e) == MG_EIO);
	CHECK_STR(e.id, "not-a-file");
	mg_err_release(&e);
	free(f);
}

TEST(test_loadpath__line_map)
{
	struct mg_source s;
	struct mg_err e = MG_ERR_INIT;
	unsigned line, col;
	size_t st, len;

	CHECK_INT(mg_source_adopt(&s, "x", mg_xstrdup("a\nbc\n\nd"), 7, &e), 0);
	CHECK_INT(s.nlines, 4);
	CHECK_INT(s.line_starts[0], 0);
	CHECK_INT(s.line_starts[1], 2);
	CHECK_INT(s.line_starts[2], 5);
	CHECK_INT(s.line_starts[3], 6);
	mg_source_pos(&s, 3, &line, &col);
	CHECK_INT(line, 2);
	CHECK_INT(col, 2);
	mg_source_line(&s, 4, &st, &len);
	CHECK_INT(st, 6);
	CHECK_INT(len, 1);
	mg_source_release(&s);
	CHECK_INT(mg_source_adopt(&s, "x", mg_xstrdup(""), 0, &e), 0);
	CHECK_INT(s.nlines, 1);
	mg_source_release(&s);
	CHECK_INT(mg_source_adopt(&s, "x", mg_xstrdup("\n"), 1, &e), 0);
	CHECK_INT(s.nlines, 2);
	mg_source_release(&s);
}

TEST(test_loadpath__symlinks_and_ignored_entries)
{
	const char *d = mg_test_tmpdir(), *o = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;
	char *target = path_in(o, "real.sql"), *link = path_in(d, "0002_b.sql");
	char *dangling = path_in(d, "0003_c.sql");

	mg_test_write(d, "0001_a.sql", "-- migrate:up\nCREATE TABLE a(x int);\n");
	mg_test_write(o, "real.sql", "-- migrate:up\nCREATE TABLE b(x int);\n");
	mg_test_write(d, "notes.txt", "ignored");
	CHECK_INT(symlink(target, link), 0);
	CHECK_INT(mg_migset_load(&s, d, NULL, &e), 0);
	CHECK_INT(s.n, 2);
	CHECK_STR(s.items[1].version, "0002");
	CHECK(s.items[1].up.present);
	CHECK_CONTAINS(s.items[1].up.src->text, "CREATE TABLE b");
	mg_migset_release(&s);
	/* a dangling link is an error, as before (never skipped) */
	CHECK_INT(symlink("/nonexistent/x.sql", dangling), 0);
	CHECK(mg_migset_load(&s, d, NULL, &e) == MG_EIO);
	CHECK_STR(e.id, "cannot-read");
	mg_err_release(&e);
	free(target);
	free(link);
	free(dangling);
}

TEST(test_loadpath__checksum_in_place_and_crlf)
{
	const char *d1 = mg_test_tmpdir(), *d2 = mg_test_tmpdir();
	struct mg_migset a, b;
	struct mg_err e = MG_ERR_INIT;
	char want[65];
	const char *up = "\nCREATE TABLE x(a int);\n";

	mg_test_write(d1, "1_x.sql", "-- migrate:up\nCREATE TABLE x(a int);\n");
	mg_test_write(d2, "1_x.sql", "-- migrate:up\r\nCREATE TABLE x(a int);\r\n");
	CHECK_INT(mg_migset_load(&a, d1, NULL, &e), 0);
	CHECK_INT(mg_migset_load(&b, d2, NULL, &e), 0);
	/* the up script starts after the marker line */
	mg_sha256_hex(up + 1, strlen(up) - 1, want);
	CHECK_STR(a.items[0].up.checksum, want);
	CHECK_STR(b.items[0].up.checksum, want);
	mg_migset_release(&a);
	mg_migset_release(&b);
	/* a lone CR is kept (only CRLF becomes LF) */
	mg_test_write(d1, "1_x.sql", "-- migrate:up\nCREATE TABLE x(a int);\r");
	CHECK_INT(mg_migset_load(&a, d1, NULL, &e), 0);
	mg_sha256_hex("CREATE TABLE x(a int);\r", 23, want);
	CHECK_STR(a.items[0].up.checksum, want);
	mg_migset_release(&a);
}
