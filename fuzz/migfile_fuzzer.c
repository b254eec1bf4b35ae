/*
 * migfile_fuzzer: reading one migration file and its directive comments.
 *
 * Exercises:
 *   src/sql/source.c     mg_source_adopt (BOM, NUL and UTF-8 checks, line
 *                        map), mg_source_pos, mg_source_line
 *   src/sql/directive.c  mg_directives_scan over the whole text and over a
 *                        sub-range starting mid-text, mg_sql_skip_element
 *   src/migset/migset.c  mg_migset_load on a private directory holding the
 *                        input as 1_x.sql (sections layout: up/down markers,
 *                        header directives, SQL outside sections) and then
 *                        as 1_x.up.sql (pairs layout: misplaced markers),
 *                        checksums (CRLF folding), mg_script_text
 *   src/core/            fs read, err formatting, sha256, buf
 *
 * Invariants (abort() when broken): every MG_EINPUT error about the text is
 * positioned (line and column >= 1) and has an id, a message and exit code
 * 2; directive offsets lie inside the range scanned and are ordered; the
 * scripts of a loaded migration lie inside their source, in order.
 *
 * Input: the bytes of the file; capped at 32 KiB.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/fs.h"
#include "core/xalloc.h"
#include "migset/migset.h"
#include "sql/directive.h"
#include "sql/source.h"

#define FUZZ_MAX_INPUT 32768

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *tmpdir;
static FILE *devnull;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "migfile_fuzzer: invariant broken: %s "  \
				"(%s:%d)\n", #cond, __FILE__, __LINE__);     \
			abort();                                             \
		}                                                            \
	} while (0)

static void clear_dir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char *p;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		p = mg_fs_join(tmpdir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
}

static void cleanup(void)
{
	if (!tmpdir)
		return;
	clear_dir();
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
	tmpl = mg_xasprintf("%s/migfile_fuzzer.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("migfile_fuzzer: mkdtemp");
		abort();
	}
	tmpdir = tmpl;
	devnull = fopen("/dev/null", "w");
	atexit(cleanup);
}

/* An error must carry what the CLI prints: id, message, exit code. */
static void check_err(const struct mg_err *e, int rc, int positioned)
{
	CHECK(rc < 0);
	CHECK(e->code == rc);
	CHECK(e->id[0] != '\0');
	CHECK(e->msg != NULL);
	CHECK(mg_err_exit_code(e->code) == 2);
	if (positioned) {
		CHECK(e->line >= 1);
		CHECK(e->col >= 1);
	}
	if (devnull)
		mg_err_print(devnull, e);
}

static void check_dirs(const struct mg_source *src, const struct mg_directives *d,
		       size_t start, size_t end)
{
	size_t prev = start;

	for (size_t i = 0; i < d->n; i++) {
		const struct mg_directive *x = &d->items[i];
		unsigned line, col;
		size_t ls, ll;

		CHECK(x->off >= prev);
		CHECK(x->off < end);
		CHECK(x->name_off > x->off && x->name_off <= end);
		CHECK(x->end > x->off && x->end <= src->len);
		for (size_t k = 0; k < x->nrules; k++) {
			CHECK(x->rules[k] && x->rules[k][0]);
			CHECK(x->rule_offs[k] >= x->name_off && x->rule_offs[k] < x->end);
		}
		mg_source_pos(src, x->off, &line, &col);
		CHECK(line >= 1 && line <= src->nlines && col >= 1);
		mg_source_line(src, line, &ls, &ll);
		CHECK(ls <= x->off && ls + ll <= src->len);
		prev = x->end;
	}
}

static void check_script(const struct mg_script *s, const struct mg_source *src)
{
	size_t len;
	char *t;

	if (!s->present)
		return;
	CHECK(s->src != NULL);
	CHECK(s->off <= s->end && s->end <= s->src->len);
	CHECK(strlen(s->checksum) == 64);
	t = mg_script_text(s, &len);
	CHECK(len <= s->end - s->off);
	free(t);
	for (size_t i = 0; i < s->dirs.n; i++)
		CHECK(s->dirs.items[i].off >= s->off && s->dirs.items[i].off < s->end);
	CHECK(s->src == src);
}

static void load_as(const char *name, const char *dialect,
		    const uint8_t *data, size_t size)
{
	char *path = mg_fs_join(tmpdir, name);
	struct mg_migset set;
	struct mg_migset_opts opts = { dialect, NULL };
	struct mg_err err = MG_ERR_INIT;
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror("migfile_fuzzer: write");
		abort();
	}
	rc = mg_migset_load(&set, tmpdir, &opts, &err);
	if (rc) {
		/* A text error names the file and its line:column. Layout
		 * errors (missing marker) are positioned at 1:1 too. */
		check_err(&err, rc, err.code == MG_EINPUT);
		CHECK(err.file != NULL);
	} else {
		CHECK(set.n == 1);
		CHECK(set.nsources == 1);
		CHECK(set.items[0].up.present);
		check_script(&set.items[0].up, set.sources[0]);
		check_script(&set.items[0].down, set.sources[0]);
		if (set.items[0].down.present)
			CHECK(set.items[0].up.end <= set.items[0].down.off);
		mg_migset_release(&set);
	}
	mg_err_release(&err);
	unlink(path);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_source src;
	struct mg_err err = MG_ERR_INIT;
	char *text;
	int rc;

	if (size > FUZZ_MAX_INPUT)
		return -1;
	setup();

	/* 1. The text itself. */
	text = mg_xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	rc = mg_source_adopt(&src, "fuzz.sql", text, size, &err);
	if (rc) {
		check_err(&err, rc, 1);
		mg_err_release(&err);
	} else {
		struct mg_directives d = { 0 };
		size_t mid;

		CHECK(src.nlines >= 1);
		rc = mg_directives_scan(&src, 0, src.len, &d, &err);
		if (rc) {
			check_err(&err, rc, 1);
			mg_err_release(&err);
		} else {
			check_dirs(&src, &d, 0, src.len);
		}
		mg_directives_release(&d);

		/* A range that starts and ends anywhere, as sections do. */
		mid = src.len / 3;
		rc = mg_directives_scan(&src, mid, src.len - src.len / 4, &d, &err);
		if (rc) {
			check_err(&err, rc, 1);
			mg_err_release(&err);
		} else {
			check_dirs(&src, &d, mid, src.len - src.len / 4);
		}
		mg_directives_release(&d);
		mg_source_release(&src);
	}

	/* 2. The same bytes as a sectioned file, then as the up half of a
	 * pair (directory read, layout detection, sections, checksums). */
	load_as("1_x.sql", NULL, data, size);
	load_as("1_x.up.sql", "sqlite", data, size);
	return 0;
}
