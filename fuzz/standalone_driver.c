/*
 * standalone_driver: a main() for the fuzz harnesses when libFuzzer is not
 * used (gcc builds, the ASan build of scripts/test.sh). It runs
 * LLVMFuzzerTestOneInput once on every regular file named on the command
 * line or found directly inside a directory named there, in sorted order,
 * so `ctest` replays each corpus (fuzz.replay.<target>) on every run.
 *
 * Exit status: 0 when every input ran; 2 when an argument cannot be read or
 * no input was found at all (an empty corpus is a mistake, not a pass). A
 * crash is the harness's abort()/sanitizer report, which ends the process.
 *
 * Usage: <target>_fuzzer [-v] FILE_OR_DIR...
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "standalone_driver: cannot open '%s': %s\n", path,
			strerror(errno));
		return -1;
	}
	for (;;) {
		size_t n;
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			data = realloc(data, cap);
			if (!data)
				abort();
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "standalone_driver: cannot read '%s'\n", path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "running %s (%zu bytes)\n", path, len);
	/* An exact-size copy, so ASan sees reads past the end of the input. */
	{
		uint8_t *copy = malloc(len ? len : 1);
		if (!copy)
			abort();
		if (len)
			memcpy(copy, data, len);
		free(data);
		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	}
	return 0;
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "standalone_driver: cannot open '%s': %s\n", dir,
			strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			abort();
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(dir) + strlen(names[i]) + 2;
		char *p = malloc(pl);
		struct stat st;
		if (!p)
			abort();
		snprintf(p, pl, "%s/%s", dir, names[i]);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(p))
				rc = -1;
			else
				(*count)++;
		}
		free(p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int rc = 0, first = 1;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: %s [-v] FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = first; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "standalone_driver: cannot stat '%s': %s\n",
				argv[i], strerror(errno));
			rc = 2;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count))
				rc = 2;
		} else if (run_file(argv[i])) {
			rc = 2;
		} else {
			count++;
		}
	}
	if (!count) {
		fprintf(stderr, "standalone_driver: no input found\n");
		rc = 2;
	}
	printf("%s: ran %zu inputs\n", argv[0], count);
	return rc;
}
