/* Unit-test runner: see test.h. Prints TAP-like lines and a summary line
 * "N passed, N failed". */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

struct test {
	const char *name, *file;
	void (*fn)(void);
};

static struct test tests[2048];
static int ntests, failed_now;
static char tmproot[256];

void mg_test_register(const char *name, void (*fn)(void), const char *file)
{
	if (ntests < (int)(sizeof(tests) / sizeof(tests[0])))
		tests[ntests++] = (struct test){ name, file, fn };
}

void mg_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "  %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	failed_now = 1;
}

static void rm_rf(const char *p)
{
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", p);
}

const char *mg_test_tmpdir(void)
{
	static char dirs[64][300];
	static int seq;
	char *dir;

	if (!tmproot[0]) {
		const char *t = getenv("TMPDIR");
		snprintf(tmproot, sizeof(tmproot), "%s/mgunit.XXXXXX", t ? t : "/tmp");
		if (!mkdtemp(tmproot)) {
			perror("mkdtemp");
			exit(2);
		}
	}
	dir = dirs[seq % 64];
	snprintf(dir, sizeof(dirs[0]), "%s/t%d", tmproot, seq + 1);
	seq++;
	mkdir(dir, 0755);
	return dir;
}

void mg_test_write(const char *dir, const char *rel, const char *content)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0755);
			*s = '/';
		}
	}
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(content, f);
	fclose(f);
}

static int selected(const struct test *t, int argc, char **argv)
{
	const char *base = strrchr(t->file, '/');
	base = base ? base + 1 : t->file;
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			if (strstr(t->name, argv[i + 1]))
				return 1;
			i++;
			continue;
		}
		size_t n = strlen(argv[i]);
		if (!strncmp(base, argv[i], n) && !strcmp(base + n, ".c"))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int pass = 0, fail = 0;

	for (int i = 0; i < ntests; i++) {
		if (!selected(&tests[i], argc, argv))
			continue;
		failed_now = 0;
		tests[i].fn();
		if (failed_now) {
			printf("not ok %s\n", tests[i].name);
			fail++;
		} else {
			printf("ok %s\n", tests[i].name);
			pass++;
		}
	}
	if (tmproot[0])
		rm_rf(tmproot);
	printf("%d passed, %d failed\n", pass, fail);
	if (pass + fail == 0) {
		fprintf(stderr, "no test selected\n");
		return 1;
	}
	return fail ? 1 : 0;
}
