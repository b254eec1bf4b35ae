/*
 * sumcache: what loading derived from each migration file (checksums,
 * no-transaction, empty, description), kept between runs so `migrate
 * status` need not read files that did not change (docs/commands/
 * migrate-status.md "Checksum cache").
 *
 * Git-index style: an entry is trusted only when the file's size,
 * mtime_ns, ctime_ns, inode and device all equal what was recorded when
 * the file was read (the stat is taken on the open file before reading).
 * An edit that keeps the size and restores the mtime (touch -r) still
 * changes ctime. A file whose mtime or ctime is within MG_SUMCACHE_RACY_NS
 * of the time the cache is written, or later, is "racily clean" (it could
 * change again within the same timestamp tick): it is never stored, and
 * never trusted on lookup either (judged against the current time).
 *
 * One file per migrations directory, named by a hash of the directory's
 * real path, in $XDG_CACHE_HOME/migrate (else $HOME/.cache/migrate): the
 * directory 0700 and the file 0600, both owned by the user and writable by
 * nobody else, or the cache is not used. The file holds a magic, a format
 * version, migrate's version, the real path, the entries sorted by path
 * and a checksum of all of it; anything odd (short, trailing bytes, bad
 * checksum, other version or directory, unsorted paths) and the whole file
 * is ignored. Written atomically (temp file + rename) and only when it
 * would change. Every failure is silent: the cache can only save work,
 * never change a result.
 */
#ifndef MG_SUMCACHE_H
#define MG_SUMCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define MG_SUMCACHE_RACY_NS (2LL * 1000000000LL)

enum mg_sumcache_mode {
	MG_SUMCACHE_SECTIONS = 1, /* one file with -- migrate:up/down */
	MG_SUMCACHE_WHOLE = 2     /* the whole file is one script */
};

/* What identifies a file's state. */
struct mg_sumcache_key {
	uint64_t size, ino, dev;
	int64_t mtime_ns, ctime_ns;
};

/* One script of a file. */
struct mg_sumcache_script {
	bool present, no_tx, empty;
	char checksum[65];                  /* hex, as in struct mg_script */
};

/* What loading derived from one file's text (nothing from its name). */
struct mg_sumcache_entry {
	enum mg_sumcache_mode mode;
	struct mg_sumcache_script up, down; /* down: sections mode only */
	const char *description;            /* borrowed, or NULL */
};

struct mg_sumcache;

/* The cache for the migrations directory dir, read from disk when a valid
 * one exists (else empty). NULL when caching is off (MIGRATE_NO_CACHE) or
 * impossible (no usable cache directory, no real path for dir). */
struct mg_sumcache *mg_sumcache_open(const char *dir);
/* The same with an explicit cache file (tests). */
struct mg_sumcache *mg_sumcache_open_file(const char *cache_file,
					  const char *dir_realpath);
void mg_sumcache_key_of(struct mg_sumcache_key *k, const struct stat *st);
/* The handle (>= 0) of the entry the file read had for rel (a path
 * relative to the directory), or -1: without one a stat is not worth it. */
long mg_sumcache_find(const struct mg_sumcache *c, const char *rel);
/* How many entries the file read had (handles are below it); 0 for NULL. */
size_t mg_sumcache_count(const struct mg_sumcache *c);
/* mg_sumcache_find trying handle guess (and its neighbours) first: the
 * loader knows where an unchanged directory's files should be. */
long mg_sumcache_find_near(const struct mg_sumcache *c, const char *rel, long guess);
/* Entry `handle` (from mg_sumcache_find; -1 is fine) when it is still
 * valid for key and mode: the handle, with *out filled (out->description
 * lives as long as c); -1 otherwise. now_ns is the current CLOCK_REALTIME.
 * Read-only: safe from several threads at once. */
long mg_sumcache_lookup(const struct mg_sumcache *c, long handle,
			const struct mg_sumcache_key *key,
			enum mg_sumcache_mode mode, int64_t now_ns,
			struct mg_sumcache_entry *out);
/* Keep entries for the next save: every file of the set is kept, hits
 * (by handle) and freshly read ones (copied) alike; the rest is dropped
 * on save. Not thread-safe. */
void mg_sumcache_keep_hit(struct mg_sumcache *c, long handle);
void mg_sumcache_keep_new(struct mg_sumcache *c, const char *rel,
			  const struct mg_sumcache_key *key,
			  const struct mg_sumcache_entry *e);
/* Write the kept entries (racily clean ones left out, judged against
 * now_ns) unless they are exactly what was read. Silent; 0 when written
 * or nothing needed writing, -1 on any failure. */
int mg_sumcache_save(struct mg_sumcache *c, int64_t now_ns);
void mg_sumcache_free(struct mg_sumcache *c);

/* CLOCK_REALTIME in nanoseconds. */
int64_t mg_sumcache_now_ns(void);

#endif
