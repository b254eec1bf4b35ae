/*
 * filename_fuzzer: migration file names, versions and filename_pattern.
 *
 * Exercises:
 *   src/migset/version.c  mg_version_scan, mg_version_cmp (reflexive,
 *                         antisymmetric and transitive: abort() otherwise,
 *                         since qsort and duplicate detection rely on it)
 *   src/migset/migset.c   mg_migset_split_name; mg_migset_load on a private
 *                         directory holding the name as a file (sections /
 *                         pairs, dialect and .no-transaction suffixes), as a
 *                         directory with up.sql/down.sql (dirs layout) and
 *                         with upgrade.sql (releases layout), and with a
 *                         PCRE2 filename_pattern (compile errors, named
 *                         groups version/name/direction)
 *   src/core/             fs helpers, err
 *
 * Input: PATTERN '\n' NAME (split at the first NUL or newline; without one
 * the whole input is NAME and no pattern is used). NAME is cut at a further
 * NUL, '/' becomes '_', and it is capped at 255 bytes. Capped at 4 KiB.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "migset/migset.h"
#include "migset/version.h"

#define FUZZ_MAX_INPUT 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *tmpdir;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "filename_fuzzer: invariant broken: %s " \
				"(%s:%d)\n", #cond, __FILE__, __LINE__);     \
			abort();                                             \
		}                                                            \
	} while (0)

static const char sections[] =
	"-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:down\nDROP TABLE t;\n";

/* Remove everything below dir (depth 2 is all this harness creates). */
static void clear_dir(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p;
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = mg_fs_join(dir, de->d_name);
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				clear_dir(p, depth - 1);
			rmdir(p);
		} else {
			unlink(p);
		}
		free(p);
	}
	closedir(d);
}

static void cleanup(void)
{
	if (!tmpdir)
		return;
	clear_dir(tmpdir, 2);
	rmdir(tmpdir);
	free(tmpdir);
	tmpdir = NULL;
}

static void setup(void)
{
	const char *base = getenv("TMPDIR");
	char *tmpl;

	if (tmpdir)
		return;
	tmpl = mg_xasprintf("%s/filename_fuzzer.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("filename_fuzzer: mkdtemp");
		abort();
	}
	tmpdir = tmpl;
	atexit(cleanup);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *p = mg_fs_join(dir, name);
	FILE *f = fopen(p, "wb");

	if (!f) {
		perror("filename_fuzzer: fopen");
		abort();
	}
	fputs(text, f);
	if (fclose(f)) {
		perror("filename_fuzzer: fclose");
		abort();
	}
	free(p);
}

static int sgn(int x)
{
	return (x > 0) - (x < 0);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void check_scan(const char *s)
{
	size_t skip = 99, n = mg_version_scan(s, &skip);

	if (!n) {
		CHECK(skip == 0);
		return;
	}
	CHECK(skip <= 1);
	CHECK(n <= strlen(s + skip));
	CHECK(is_digit(s[skip]) && is_digit(s[skip + n - 1]));
	for (size_t i = skip; i < skip + n; i++)
		CHECK(is_digit(s[i]) || s[i] == '-' || s[i] == '.');
	/* maximal munch: the token cannot be extended by a group */
	CHECK(!is_digit(s[skip + n]));
	CHECK(!((s[skip + n] == '-' || s[skip + n] == '.') && is_digit(s[skip + n + 1])));
}

static void check_order(const char *a, const char *b, const char *c)
{
	int ab = sgn(mg_version_cmp(a, b)), ba = sgn(mg_version_cmp(b, a));
	int bc = sgn(mg_version_cmp(b, c)), ac = sgn(mg_version_cmp(a, c));

	CHECK(mg_version_cmp(a, a) == 0);
	CHECK(mg_version_cmp(b, b) == 0);
	CHECK(ab == -ba);
	CHECK(sgn(mg_version_cmp(c, b)) == -bc);
	if (ab <= 0 && bc <= 0)
		CHECK(ac <= 0);
	if (ab >= 0 && bc >= 0)
		CHECK(ac >= 0);
	if (ab == 0 && bc == 0)
		CHECK(ac == 0);
}

static void check_load(const char *pattern)
{
	struct mg_migset set;
	struct mg_migset_opts opts = { NULL, pattern };
	struct mg_err err = MG_ERR_INIT;
	FILE *null;
	int rc = mg_migset_load(&set, tmpdir, &opts, &err);

	if (rc) {
		CHECK(err.code == rc);
		CHECK(err.id[0] && err.msg);
		CHECK(mg_err_exit_code(rc) == 2);
		if ((null = fopen("/dev/null", "w"))) {
			mg_err_print(null, &err);
			fclose(null);
		}
		mg_err_release(&err);
		return;
	}
	CHECK(set.loaded);
	CHECK(set.n <= 1);
	for (size_t i = 0; i < set.n; i++) {
		CHECK(set.items[i].version && set.items[i].name && set.items[i].label);
		CHECK(set.items[i].up.present);
		CHECK(mg_migset_find(&set, set.items[i].version) == (long)i);
	}
	mg_migset_release(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *pattern = NULL, *name, *version = NULL, *nm = NULL;
	size_t i, nlen;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	setup();
	buf = mg_xmalloc(size + 1);
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i < size && buf[i] != '\0' && buf[i] != '\n'; i++)
		;
	if (i < size) {
		buf[i] = '\0';
		pattern = buf;
		name = buf + i + 1;
	} else {
		name = buf;
	}

	/* The pure functions, on the name and on the pattern text. */
	check_scan(name);
	if (pattern)
		check_scan(pattern);
	if (mg_migset_split_name(name, &version, &nm)) {
		size_t skip, n = mg_version_scan(name, &skip);
		CHECK(n > 0 && strlen(version) == n);
		CHECK(!memcmp(version, name + skip, n));
		CHECK(mg_version_cmp(version, version) == 0);
	}
	check_order(name, pattern ? pattern : "", version ? version : "0");
	if (pattern && version)
		check_order(version, name, pattern);
	free(version);
	free(nm);

	/* The name on disk. */
	for (char *p = name; *p; p++)
		if (*p == '/')
			*p = '_';
	nlen = strlen(name);
	if (nlen > 255)
		name[nlen = 255] = '\0';
	if (nlen && strcmp(name, ".") && strcmp(name, "..")) {
		char *sub;

		/* a file, default grammar, then the pattern */
		write_file(tmpdir, name, sections);
		check_load(NULL);
		if (pattern && *pattern)
			check_load(pattern);
		clear_dir(tmpdir, 2);

		/* a directory: dirs layout, then releases layout */
		sub = mg_fs_join(tmpdir, name);
		if (mkdir(sub, 0700) == 0) {
			write_file(sub, "up.sql", "CREATE TABLE t (id int);\n");
			write_file(sub, "down.sql", "DROP TABLE t;\n");
			check_load(NULL);
			clear_dir(sub, 0);
			write_file(sub, "upgrade.sql", "CREATE TABLE t (id int);\n");
			write_file(sub, "README.md", "# Release\n\nAdds t.\n");
			check_load(NULL);
			if (pattern && *pattern)
				check_load(pattern);
		}
		free(sub);
		clear_dir(tmpdir, 2);
	}
	free(buf);
	return 0;
}
