/* Unit tests: src/migset/sumcache (the checksum cache) and the loader's
 * use of it. Time is passed in explicitly (now_ns), so entries count as
 * old enough without waiting. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "migset/migset.h"
#include "migset/sumcache.h"
#include "test.h"

#define LATER (mg_sumcache_now_ns() + 10LL * 1000000000LL)

static const char SUM_A[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
static const char SUM_B[] = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

static void key_of_file(const char *dir, const char *name, struct mg_sumcache_key *k)
{
	char *p = mg_xasprintf("%s/%s", dir, name);
	struct stat st;

	if (stat(p, &st) == 0)
		mg_sumcache_key_of(k, &st);
	else
		memset(k, 0, sizeof(*k));
	free(p);
}

static void entry(struct mg_sumcache_entry *e, const char *desc)
{
	memset(e, 0, sizeof(*e));
	e->mode = MG_SUMCACHE_SECTIONS;
	e->up.present = true;
	e->up.no_tx = true;
	memcpy(e->up.checksum, SUM_A, 65);
	e->down.present = true;
	e->down.empty = true;
	memcpy(e->down.checksum, SUM_B, 65);
	e->description = desc;
}

/* A cache in d/cache with one entry for d/a.sql, saved as of when_ns. */
static char *make_cache_at(const char *d, const char *desc, int64_t when_ns)
{
	char *file = mg_xasprintf("%s/cache", d);
	struct mg_sumcache *c;
	struct mg_sumcache_key k;
	struct mg_sumcache_entry e;

	mg_test_write(d, "a.sql", "-- migrate:up\nSELECT 1;\n");
	key_of_file(d, "a.sql", &k);
	c = mg_sumcache_open_file(file, d);
	entry(&e, desc);
	mg_sumcache_keep_new(c, "a.sql", &k, &e);
	if (mg_sumcache_save(c, when_ns))
		mg_test_fail(__FILE__, __LINE__, "mg_sumcache_save(c, when_ns) failed");
	mg_sumcache_free(c);
	return file;
}

/* The same, saved as of LATER (long after the file was written). */
static char *make_cache(const char *d, const char *desc)
{
	return make_cache_at(d, desc, LATER);
}

static long lookup_a(const char *file, const char *d, struct mg_sumcache_entry *out)
{
	struct mg_sumcache *c = mg_sumcache_open_file(file, d);
	struct mg_sumcache_key k;
	long h;

	key_of_file(d, "a.sql", &k);
	h = mg_sumcache_lookup(c, mg_sumcache_find(c, "a.sql"), &k, MG_SUMCACHE_SECTIONS, LATER, out);
	if (h >= 0 && out->description) /* copy: it lives in c */
		out->description = mg_xstrdup(out->description);
	mg_sumcache_free(c);
	return h;
}

TEST(test_sumcache__round_trip)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, "Add a");
	struct mg_sumcache_entry e;
	struct stat st;

	CHECK(lookup_a(file, d, &e) >= 0);
	CHECK_INT(e.mode, MG_SUMCACHE_SECTIONS);
	CHECK(e.up.present && e.up.no_tx && !e.up.empty);
	CHECK_STR(e.up.checksum, SUM_A);
	CHECK(e.down.present && !e.down.no_tx && e.down.empty);
	CHECK_STR(e.down.checksum, SUM_B);
	CHECK_STR(e.description, "Add a");
	free((char *)e.description);
	/* a private file */
	CHECK_INT(stat(file, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	free(file);
}

TEST(test_sumcache__other_mode_or_path_misses)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, NULL);
	struct mg_sumcache *c = mg_sumcache_open_file(file, d);
	struct mg_sumcache_key k;
	struct mg_sumcache_entry e;

	key_of_file(d, "a.sql", &k);
	CHECK(mg_sumcache_find(c, "a.sql") >= 0);
	CHECK(mg_sumcache_find(c, "b.sql") < 0);
	CHECK_INT(mg_sumcache_lookup(c, mg_sumcache_find(c, "a.sql"), &k, MG_SUMCACHE_WHOLE, LATER, &e), -1);
	CHECK_INT(mg_sumcache_lookup(c, mg_sumcache_find(c, "b.sql"), &k, MG_SUMCACHE_SECTIONS, LATER, &e), -1);
	CHECK(mg_sumcache_lookup(c, mg_sumcache_find(c, "a.sql"), &k, MG_SUMCACHE_SECTIONS, LATER, &e) >= 0);
	CHECK(!e.description);
	mg_sumcache_free(c);
	/* another directory's cache (same file name) is not used */
	c = mg_sumcache_open_file(file, "/somewhere/else");
	CHECK(mg_sumcache_find(c, "a.sql") < 0);
	mg_sumcache_free(c);
	free(file);
}

/* An edit that keeps the size and puts the mtime back (touch -r) changes
 * the ctime: a miss even when the racy window is long past. */
TEST(test_sumcache__same_size_edit_with_mtime_restored_misses)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, NULL), *p = mg_xasprintf("%s/a.sql", d);
	struct mg_sumcache_entry e;
	struct stat before, after;
	struct timespec ts[2], tick = { 0, 30 * 1000000 };

	CHECK_INT(stat(p, &before), 0);
	nanosleep(&tick, NULL); /* the next timestamp tick of the file system */
	mg_test_write(d, "a.sql", "-- migrate:up\nSELECT 2;\n");
	ts[0] = before.st_atim;
	ts[1] = before.st_mtim;
	CHECK_INT(utimensat(AT_FDCWD, p, ts, 0), 0);
	CHECK_INT(stat(p, &after), 0);
	CHECK_INT(after.st_size, before.st_size);
	CHECK_INT(after.st_mtim.tv_sec, before.st_mtim.tv_sec);
	CHECK_INT(after.st_mtim.tv_nsec, before.st_mtim.tv_nsec);
	CHECK_INT(after.st_ino, before.st_ino);
	CHECK_INT(lookup_a(file, d, &e), -1);
	free(p);
	free(file);
}

TEST(test_sumcache__replaced_file_misses)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, NULL), *a = mg_xasprintf("%s/a.sql", d);
	char *b = mg_xasprintf("%s/b.sql", d);
	struct mg_sumcache_entry e;
	struct stat st;
	struct timespec ts[2];

	/* same text and times, another inode (git checkout, cp + mv) */
	CHECK_INT(stat(a, &st), 0);
	mg_test_write(d, "b.sql", "-- migrate:up\nSELECT 1;\n");
	ts[0] = st.st_atim;
	ts[1] = st.st_mtim;
	CHECK_INT(utimensat(AT_FDCWD, b, ts, 0), 0);
	CHECK_INT(rename(b, a), 0);
	CHECK_INT(lookup_a(file, d, &e), -1);
	free(a);
	free(b);
	free(file);
}

/* Files changed within the racy window are neither stored nor trusted. */
TEST(test_sumcache__racily_clean_entries_are_not_used)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache_at(d, NULL, mg_sumcache_now_ns());
	struct mg_sumcache *c;
	struct mg_sumcache_key k;
	struct mg_sumcache_entry e;

	c = mg_sumcache_open_file(file, d);
	CHECK(mg_sumcache_find(c, "a.sql") < 0);
	mg_sumcache_free(c);
	/* stored as of LATER, but looked up now: still too fresh to trust */
	free(file);
	file = make_cache(d, NULL);
	key_of_file(d, "a.sql", &k);
	c = mg_sumcache_open_file(file, d);
	CHECK(mg_sumcache_find(c, "a.sql") >= 0);
	CHECK_INT(mg_sumcache_lookup(c, mg_sumcache_find(c, "a.sql"), &k, MG_SUMCACHE_SECTIONS,
				     mg_sumcache_now_ns(), &e), -1);
	mg_sumcache_free(c);
	free(file);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *b = mg_xmalloc(1 << 20);

	*n = f ? fread(b, 1, 1 << 20, f) : 0;
	if (f)
		fclose(f);
	return b;
}

static void spit(const char *path, const char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (f) {
		fwrite(b, 1, n, f);
		fclose(f);
	}
	chmod(path, 0600);
}

/* A damaged cache file is ignored as a whole: every byte flipped in turn,
 * every truncation, trailing bytes, garbage. */
TEST(test_sumcache__damaged_files_are_ignored)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, "x"), *orig;
	struct mg_sumcache_entry e;
	size_t n;

	orig = slurp(file, &n);
	CHECK(n > 100);
	for (size_t i = 0; i < n; i++) {
		orig[i] ^= 0x20;
		spit(file, orig, n);
		orig[i] ^= 0x20;
		if (lookup_a(file, d, &e) >= 0) {
			mg_test_fail(__FILE__, __LINE__, "byte %zu flipped: used", i);
			free((char *)e.description);
			break;
		}
	}
	for (size_t k = 0; k < n; k++) {
		spit(file, orig, k);
		if (lookup_a(file, d, &e) >= 0) {
			mg_test_fail(__FILE__, __LINE__, "truncated to %zu: used", k);
			free((char *)e.description);
			break;
		}
	}
	orig[n] = 'x';
	spit(file, orig, n + 1);
	CHECK_INT(lookup_a(file, d, &e), -1);
	for (size_t i = 0; i < n; i++)
		orig[i] = (char)(i * 131 + 7);
	spit(file, orig, n);
	CHECK_INT(lookup_a(file, d, &e), -1);
	free(orig);
	free(file);
}

TEST(test_sumcache__writable_by_others_is_ignored)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, NULL);
	struct mg_sumcache_entry e;

	CHECK_INT(chmod(file, 0622), 0);
	CHECK_INT(lookup_a(file, d, &e), -1);
	CHECK_INT(chmod(file, 0600), 0);
	CHECK(lookup_a(file, d, &e) >= 0);
	free(file);
}

/* Saving without changes leaves the file alone; a dropped file is
 * dropped from the cache. */
TEST(test_sumcache__save_only_when_changed)
{
	const char *d = mg_test_tmpdir();
	char *file = make_cache(d, NULL);
	struct mg_sumcache *c = mg_sumcache_open_file(file, d);
	struct mg_sumcache_key k;
	struct mg_sumcache_entry e;
	struct stat s1, s2;
	long h;

	CHECK_INT(stat(file, &s1), 0);
	key_of_file(d, "a.sql", &k);
	h = mg_sumcache_lookup(c, mg_sumcache_find(c, "a.sql"), &k, MG_SUMCACHE_SECTIONS, LATER, &e);
	CHECK(h >= 0);
	mg_sumcache_keep_hit(c, h);
	CHECK_INT(mg_sumcache_save(c, LATER), 0);
	mg_sumcache_free(c);
	CHECK_INT(stat(file, &s2), 0);
	CHECK_INT(s2.st_ino, s1.st_ino);
	/* nothing kept: the entry goes */
	c = mg_sumcache_open_file(file, d);
	CHECK_INT(mg_sumcache_save(c, LATER), 0);
	mg_sumcache_free(c);
	c = mg_sumcache_open_file(file, d);
	CHECK(mg_sumcache_find(c, "a.sql") < 0);
	mg_sumcache_free(c);
	free(file);
}

/* The loader with an empty cache gives what it gives without one, and
 * keeps an entry per file (sections, pairs, dirs layouts). */
static void write_sets(const char *d1, const char *d2, const char *d3)
{
	mg_test_write(d1, "20240101000000_a.sql",
		      "-- migrate:description First\n-- migrate:up transaction:false\n"
		      "CREATE INDEX CONCURRENTLY i ON t(x);\n-- migrate:down\nDROP INDEX i;\n");
	mg_test_write(d1, "20240102000000_b.sql", "-- migrate:up\r\nSELECT 1;\r\n");
	mg_test_write(d2, "0001_a.up.sql", "-- migrate:description Pair\nSELECT 1;\n");
	mg_test_write(d2, "0001_a.down.sql", "-- only a comment\n");
	mg_test_write(d2, "0002_b.no-transaction.up.sql", "SELECT 2;\n");
	{
		char *sub = mg_xasprintf("%s/2024-01-01-000000_x", d3);
		mkdir(sub, 0755);
		mg_test_write(sub, "up.sql", "SELECT 3;\n");
		mg_test_write(sub, "down.sql", "SELECT 4;\n");
		mg_test_write(sub, "metadata.toml", "run_in_transaction = false\n");
		free(sub);
	}
}

static bool same_set(const struct mg_migset *a, const struct mg_migset *b)
{
	if (a->n != b->n || a->layout != b->layout)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct mg_migration *x = &a->items[i], *y = &b->items[i];
		const char *dx = x->description ? x->description : "";
		const char *dy = y->description ? y->description : "";
		if (strcmp(x->version, y->version) || strcmp(x->name, y->name) ||
		    strcmp(x->label, y->label) || strcmp(dx, dy) ||
		    x->up.present != y->up.present || x->up.no_tx != y->up.no_tx ||
		    x->up.empty != y->up.empty || strcmp(x->up.checksum, y->up.checksum) ||
		    x->down.present != y->down.present || x->down.no_tx != y->down.no_tx ||
		    x->down.empty != y->down.empty ||
		    strcmp(x->down.checksum, y->down.checksum) ||
		    strcmp(x->up.src->path, y->up.src->path))
			return false;
	}
	return true;
}

TEST(test_sumcache__loader_same_result_with_cache)
{
	const char *dirs[3] = { mg_test_tmpdir(), mg_test_tmpdir(), mg_test_tmpdir() };

	write_sets(dirs[0], dirs[1], dirs[2]);
	for (int i = 0; i < 3; i++) {
		struct mg_migset plain, cached;
		struct mg_err e = MG_ERR_INIT;
		char *file = mg_xasprintf("%s.cache", dirs[i]);
		struct mg_sumcache *c = mg_sumcache_open_file(file, dirs[i]);
		CHECK_INT(mg_migset_load(&plain, dirs[i], NULL, &e), 0);
		CHECK_INT(mg_migset_load_cached(&cached, dirs[i], NULL, 0, c, &e), 0);
		CHECK(same_set(&plain, &cached));
		/* stored as of LATER; read back, every file is a hit */
		CHECK_INT(mg_sumcache_save(c, LATER), 0);
		mg_sumcache_free(c);
		c = mg_sumcache_open_file(file, dirs[i]);
		for (size_t k = 0; k < plain.n; k++) {
			const char *dir = dirs[i];
			const char *path = plain.items[k].up.src->path + strlen(dir) + 1;
			CHECK(mg_sumcache_find(c, path) >= 0);
		}
		mg_sumcache_free(c);
		mg_migset_release(&plain);
		mg_migset_release(&cached);
		free(file);
	}
}

/* Errors: the first in version order, whatever the thread count. */
TEST(test_sumcache__loader_first_error_in_order)
{
	const char *d = mg_test_tmpdir();
	struct mg_migset s;
	struct mg_err e = MG_ERR_INIT;
	char name[64];

	for (int i = 1; i <= 300; i++) {
		snprintf(name, sizeof(name), "%05d_m.sql", i);
		mg_test_write(d, name, i == 120 ? "SELECT 1;\n" :
			      i == 250 ? "-- migrate:up\n-- migrate:up\n" :
			      "-- migrate:up\nSELECT 1;\n");
	}
	CHECK(mg_migset_load(&s, d, NULL, &e) != 0);
	CHECK_STR(e.id, "missing-up-section");
	CHECK_CONTAINS(e.file, "00120_m.sql");
	mg_err_release(&e);
}

/* A cache holding rel[0..n) (in any order), each with a key of its own
 * (size = its index) and description "d<index>", saved as of LATER. */
static char *make_cache_of(const char *d, const char *const *rel, size_t n)
{
	char *file = mg_xasprintf("%s/cache-of", d);
	struct mg_sumcache *c = mg_sumcache_open_file(file, d);

	for (size_t i = 0; i < n; i++) {
		struct mg_sumcache_key k = { i, 1000 + i, 7, 1, 2 };
		struct mg_sumcache_entry e;
		char desc[32];
		snprintf(desc, sizeof(desc), "d%zu", i);
		entry(&e, desc);
		mg_sumcache_keep_new(c, rel[i], &k, &e);
	}
	if (mg_sumcache_save(c, LATER))
		mg_test_fail(__FILE__, __LINE__, "save failed");
	mg_sumcache_free(c);
	return file;
}

/* Whatever the guess, mg_sumcache_find_near finds what a search finds. */
TEST(test_sumcache__find_near_any_guess)
{
	const char *d = mg_test_tmpdir();
	const char *rel[40];
	char names[40][16], absent[41][16];
	char *file;
	struct mg_sumcache *c;

	for (int i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "m%02d.sql", 2 * i + 1);
		rel[i] = names[39 - i]; /* stored sorted whatever the order */
	}
	for (int i = 0; i <= 40; i++)
		snprintf(absent[i], sizeof(absent[i]), "m%02d.sql", 2 * i);
	file = make_cache_of(d, rel, 40);
	c = mg_sumcache_open_file(file, d);
	CHECK_INT(mg_sumcache_count(c), 40);
	for (int i = 0; i < 40; i++)
		CHECK_INT(mg_sumcache_find(c, names[i]), i);
	for (long g = -3; g <= 43; g++) {
		for (int i = 0; i < 40; i++) {
			if (mg_sumcache_find_near(c, names[i], g) != i) {
				mg_test_fail(__FILE__, __LINE__, "%s with guess %ld: %ld",
					     names[i], g, mg_sumcache_find_near(c, names[i], g));
				goto out;
			}
		}
		for (int i = 0; i <= 40; i++) {
			if (mg_sumcache_find_near(c, absent[i], g) != -1) {
				mg_test_fail(__FILE__, __LINE__, "%s (absent) with guess %ld: %ld",
					     absent[i], g, mg_sumcache_find_near(c, absent[i], g));
				goto out;
			}
		}
	}
out:
	mg_sumcache_free(c);
	CHECK_INT(mg_sumcache_count(NULL), 0);
	CHECK_INT(mg_sumcache_find_near(NULL, "m01.sql", 0), -1);
	free(file);
}

/* Saving merges the entries kept from the file (copied as they were)
 * with the new ones, in path order, one per path: the old one when a
 * path is both. */
TEST(test_sumcache__save_merges_kept_and_new)
{
	const char *d = mg_test_tmpdir();
	static const char *const rel[] = { "b.sql", "d.sql", "f.sql" };
	static const char *const want[] = { "a.sql", "b.sql", "c.sql", "d.sql", "g.sql" };
	char *file = make_cache_of(d, rel, 3);
	struct mg_sumcache *c = mg_sumcache_open_file(file, d);
	/* as make_cache_of keys them: size = index, ino = 1000 + index */
	struct mg_sumcache_key kb = { 0, 1000, 7, 1, 2 }, kd = { 1, 1001, 7, 1, 2 };
	struct mg_sumcache_key knew = { 99, 5, 5, 5, 5 };
	struct mg_sumcache_entry e;

	/* keep b and d as read, f goes; a, c, g are new, and d again */
	CHECK_INT(mg_sumcache_lookup(c, mg_sumcache_find(c, "b.sql"), &kb,
				     MG_SUMCACHE_SECTIONS, LATER, &e), 0);
	mg_sumcache_keep_hit(c, 0);
	mg_sumcache_keep_hit(c, mg_sumcache_find(c, "d.sql"));
	entry(&e, "new");
	mg_sumcache_keep_new(c, "g.sql", &knew, &e);
	mg_sumcache_keep_new(c, "c.sql", &knew, &e);
	mg_sumcache_keep_new(c, "d.sql", &knew, &e);
	mg_sumcache_keep_new(c, "a.sql", &knew, &e);
	CHECK_INT(mg_sumcache_save(c, LATER), 0);
	mg_sumcache_free(c);

	c = mg_sumcache_open_file(file, d);
	CHECK_INT(mg_sumcache_count(c), 5);
	for (int i = 0; i < 5; i++)
		CHECK_INT(mg_sumcache_find(c, want[i]), i);
	/* b and d as they were: their keys, their descriptions */
	CHECK_INT(mg_sumcache_lookup(c, 1, &kb, MG_SUMCACHE_SECTIONS, LATER, &e), 1);
	CHECK_STR(e.description, "d0");
	CHECK_STR(e.up.checksum, SUM_A);
	CHECK_STR(e.down.checksum, SUM_B);
	CHECK_INT(mg_sumcache_lookup(c, 3, &kd, MG_SUMCACHE_SECTIONS, LATER, &e), 3);
	CHECK_STR(e.description, "d1");
	CHECK_INT(mg_sumcache_lookup(c, 3, &knew, MG_SUMCACHE_SECTIONS, LATER, &e), -1);
	/* the new ones as given */
	for (int i = 0; i < 5; i += 2) {
		CHECK_INT(mg_sumcache_lookup(c, i, &knew, MG_SUMCACHE_SECTIONS, LATER, &e), i);
		CHECK_STR(e.description, "new");
	}
	mg_sumcache_free(c);
	free(file);
}

/* A second load through the cache saved by the first reads no file and
 * gives the set a load without the cache gives (every layout). */
TEST(test_sumcache__loader_warm_same_result)
{
	const char *dirs[4] = { mg_test_tmpdir(), mg_test_tmpdir(), mg_test_tmpdir(),
				mg_test_tmpdir() };
	struct mg_migset_opts pat = { NULL, "^(?<version>\\d+)_(?<name>\\w+)\\.sql$" };
	struct timespec racy = { 2, 200 * 1000000 };

	write_sets(dirs[0], dirs[1], dirs[2]);
	mg_test_write(dirs[3], "1_a.sql", "-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n");
	mg_test_write(dirs[3], "2_b.sql", "-- migrate:description Two\n-- migrate:up\nSELECT 3;\n");
	/* past the racy window, so the entries are stored and trusted */
	nanosleep(&racy, NULL);
	for (int i = 0; i < 4; i++) {
		const struct mg_migset_opts *o = i == 3 ? &pat : NULL;
		struct mg_migset plain, cold, warm;
		struct mg_err e = MG_ERR_INIT;
		char *file = mg_xasprintf("%s.cache", dirs[i]);
		struct mg_sumcache *c = mg_sumcache_open_file(file, dirs[i]);
		CHECK_INT(mg_migset_load_cached(&plain, dirs[i], o, 0, NULL, &e), 0);
		CHECK_INT(mg_migset_load_cached(&cold, dirs[i], o, 0, c, &e), 0);
		CHECK_INT(mg_sumcache_save(c, mg_sumcache_now_ns()), 0);
		mg_sumcache_free(c);
		c = mg_sumcache_open_file(file, dirs[i]);
		CHECK_INT(mg_migset_load_cached(&warm, dirs[i], o, 0, c, &e), 0);
		CHECK(same_set(&plain, &cold));
		CHECK(same_set(&plain, &warm));
		CHECK(warm.nsources > 0);
		for (size_t k = 0; k < warm.nsources; k++)
			CHECK(!warm.sources[k]->text);
		for (size_t k = 0; k < warm.n; k++)
			if (plain.items[k].down.present)
				CHECK_STR(warm.items[k].down.src->path,
					  plain.items[k].down.src->path);
		/* nothing changed: the file is left as it was */
		{
			struct stat s1, s2;
			CHECK_INT(stat(file, &s1), 0);
			CHECK_INT(mg_sumcache_save(c, mg_sumcache_now_ns()), 0);
			CHECK_INT(stat(file, &s2), 0);
			CHECK_INT(s1.st_ino, s2.st_ino);
		}
		mg_sumcache_free(c);
		mg_migset_release(&plain);
		mg_migset_release(&cold);
		mg_migset_release(&warm);
		free(file);
	}
}
