/*
 * migset: the migrations of a directory, discovered, ordered and checksummed.
 *
 * Four layouts are detected automatically (docs/migration-layouts.md,
 * grammar/filenames.ebnf):
 *   1 sections  20240101120000_name.sql with -- migrate:up / -- migrate:down
 *   2 pairs     0001_name.up.sql + 0001_name.down.sql
 *   3 dirs      2024-01-01-120000_name/up.sql + down.sql
 *   4 releases  v2.1.0_to_v2.2.0/upgrade.sql + downgrade.sql (+ README.md)
 * or a PCRE2 pattern with named groups version, name, direction replaces the
 * file-name grammar. Every problem (a name that fits no layout, a duplicate
 * version, a down without its up, unknown directives, bad text) is found by
 * mg_migset_load before anything runs.
 */
#ifndef MG_MIGSET_H
#define MG_MIGSET_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"
#include "../sql/directive.h"
#include "../sql/source.h"

enum mg_layout {
	MG_LAYOUT_NONE = 0,
	MG_LAYOUT_SECTIONS = 1,
	MG_LAYOUT_PAIRS = 2,
	MG_LAYOUT_DIRS = 3,
	MG_LAYOUT_RELEASES = 4,
	MG_LAYOUT_PATTERN = 5
};

const char *mg_layout_name(enum mg_layout l);

/* (The fields are ordered so no padding is needed between them: 10,000
 * migrations hold 20,000 of these.) */
struct mg_script {
	const struct mg_source *src;  /* borrowed from the set; NULL if absent */
	size_t off, end;              /* the script's bytes: src->text[off, end) */
	struct mg_directives dirs;    /* directives inside [off, end) (owned) */
	bool present;                 /* a file (or section) exists */
	bool no_tx;                   /* run outside a transaction */
	bool empty;                   /* nothing but blanks and comments */
	char checksum[65];            /* SHA-256 hex of the script, CRLF -> LF */
};

struct mg_migration {
	char *version;     /* owned; as recorded in the ledger */
	char *name;        /* owned; may be "" */
	char *description; /* owned; from -- migrate:description or README.md */
	char *label;       /* owned; file or directory name, for messages */
	struct mg_script up, down;
};

struct mg_sumcache;

struct mg_migset_opts {
	const char *dialect; /* "postgres" or "sqlite": picks .postgres./.sqlite3.
				files when both exist; NULL = either */
	const char *pattern; /* PCRE2 file-name pattern or NULL */
};

/* mg_migset_load_flags: for readers that only look at the scripts (lint).
 * (Flags, not fields of mg_migset_opts: callers initialise that struct
 * positionally.) */
enum {
	/* leave every mg_script.checksum "" (status, up, down and mark
	 * compare them with the ledger; lint does not) */
	MG_MIGSET_NO_CHECKSUMS = 1u << 0,
	/* a top-level name that fits no layout (or not the filename_pattern)
	 * is listed in set->unmatched instead of failing the load; every
	 * other problem still fails it */
	MG_MIGSET_KEEP_UNMATCHED = 1u << 1,
};

/* A top-level entry that is no migration (MG_MIGSET_KEEP_UNMATCHED). */
struct mg_unmatched {
	char *path;        /* owned: dir/name */
	bool is_dir;
	char *why;         /* owned: the loader's error message for it */
};

struct mg_strblock;

struct mg_migset {
	char *dir;                  /* owned */
	enum mg_layout layout;
	struct mg_migration *items; /* ordered by version; their version,
				       name and label are the set's strings */
	size_t n, cap;
	struct mg_source **sources; /* owned array; the files read */
	size_t nsources, srccap;
	struct mg_source *source_block; /* owned; where sources[] live */
	struct mg_strblock *strings; /* owned; versions, names, labels,
					paths */
	bool loaded;                /* scripts read (mg_migset_load) */
	struct mg_unmatched *unmatched; /* in name order; only with
					   MG_MIGSET_KEEP_UNMATCHED */
	size_t nunmatched, capunmatched;
};

/* Discover and read every migration in dir into set (ordered). On error
 * (MG_EIO, MG_EINPUT, MG_ECONFIG for a bad pattern) the set is released. */
int mg_migset_load(struct mg_migset *set, const char *dir,
		   const struct mg_migset_opts *opts, struct mg_err *err);
/* mg_migset_load with MG_MIGSET_* flags (0: the same as mg_migset_load). */
int mg_migset_load_flags(struct mg_migset *set, const char *dir,
			 const struct mg_migset_opts *opts, unsigned flags,
			 struct mg_err *err);
/* mg_migset_load_flags with a checksum cache (sumcache.h; NULL: none).
 * A file whose cache entry is still valid is not read: its scripts carry
 * checksum, no_tx, empty and the description but no text (src->text is
 * NULL, off == end == 0, no directives; mg_script_text aborts on them).
 * For `migrate status` only, which needs nothing else. On success every
 * file's entry is kept in the cache for mg_sumcache_save. The cache is
 * not used with MG_MIGSET_NO_CHECKSUMS. */
int mg_migset_load_cached(struct mg_migset *set, const char *dir,
			  const struct mg_migset_opts *opts, unsigned flags,
			  struct mg_sumcache *cache, struct mg_err *err);
void mg_migset_release(struct mg_migset *set);
/* Index of version v (compared by value), or -1. */
long mg_migset_find(const struct mg_migset *set, const char *v);

/* The script's text with CRLF turned into LF (owned), for execution. */
char *mg_script_text(const struct mg_script *s, size_t *len_out);

/* Split a file name into version and name by the default grammar. Returns
 * false if it starts with no version. Out strings are owned. Used by the
 * loader, `migrate new` and the fuzzers. */
bool mg_migset_split_name(const char *stem, char **version, char **name);

#endif
