/* migset: discover, order and checksum migrations; see migset.h. */
#include "migset.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <stdio.h>
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/sha256.h"
#include "../core/workers.h"
#include "../core/xalloc.h"
#include "sumcache.h"
#include "version.h"

const char *mg_layout_name(enum mg_layout l)
{
	switch (l) {
	case MG_LAYOUT_SECTIONS: return "sections";
	case MG_LAYOUT_PAIRS: return "pairs";
	case MG_LAYOUT_DIRS: return "dirs";
	case MG_LAYOUT_RELEASES: return "releases";
	case MG_LAYOUT_PATTERN: return "pattern";
	default: return "none";
	}
}

/* One migration as found on disk, before its files are read. */
struct cand {
	char *version, *name, *label;
	char *up_path, *down_path;  /* owned or NULL */
	char *readme_path;          /* layout 4 description */
	char *meta_path;            /* layout 3 diesel metadata.toml */
	enum mg_layout layout;
	bool no_tx;                 /* from the file name (.no-transaction.) */
	int dialect_rank;           /* 2 exact dialect, 1 generic */
};

struct cands {
	struct cand *v;
	size_t n, cap;
	/* (layout, version key, name) -> first candidate with it: an open
	 * addressing table, so discovery stays linear in the number of files */
	char **keys;                /* owned; NULL = empty slot */
	size_t *idx;
	size_t nslots, nused;
};

static void cand_free(struct cand *c)
{
	free(c->version);
	free(c->name);
	free(c->label);
	free(c->up_path);
	free(c->down_path);
	free(c->readme_path);
	free(c->meta_path);
}

static void cands_release(struct cands *cs)
{
	for (size_t i = 0; i < cs->n; i++)
		cand_free(&cs->v[i]);
	free(cs->v);
	for (size_t i = 0; i < cs->nslots; i++)
		free(cs->keys[i]);
	free(cs->keys);
	free(cs->idx);
	memset(cs, 0, sizeof(*cs));
}

bool mg_migset_split_name(const char *stem, char **version, char **name)
{
	size_t skip, n = mg_version_scan(stem, &skip);
	const char *rest;

	if (!n)
		return false;
	rest = stem + skip + n;
	if (*rest && *rest != '_' && *rest != '-' && *rest != '.')
		return false;
	*version = mg_xstrndup(stem + skip, n);
	*name = mg_xstrdup(*rest ? rest + 1 : "");
	return true;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && memcmp(s + a - b, suf, b) == 0;
}

/* A directory entry: its name (owned) and readdir's d_type. */
struct ent {
	char *name;
	unsigned char type;
};

static int sort_names(const void *a, const void *b)
{
	return strcmp(((const struct ent *)a)->name, ((const struct ent *)b)->name);
}

/* Sorted visible entries of dir (owned array of owned names). */
static int list_dir(const char *dir, struct ent **out, size_t *nout,
		    struct mg_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct ent *v = NULL;
	size_t n = 0, cap = 0;

	if (!d) {
		mg_err_set(err, MG_EIO, "cannot-read-dir",
			   "cannot open migrations directory '%s': %s", dir,
			   strerror(errno));
		mg_err_hint(err, "pass the directory with --dir or MIGRATIONS_DIR");
		return MG_EIO;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		MG_GROW(v, cap, n + 1);
		v[n].name = mg_xstrdup(de->d_name);
		v[n++].type = de->d_type;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), sort_names);
	*out = v;
	*nout = n;
	return 0;
}

static void free_list(struct ent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

/* Names of files that are never migrations and are skipped quietly. */
static bool ignorable_file(const char *name)
{
	return !ends_with(name, ".sql");
}

static size_t key_hash(const char *k)
{
	size_t h = 14695981039346656037u;

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* "layout 0x1f version-key 0x1f name" (owned): candidates are the same
 * migration when their keys are equal */
static char *cand_key(const char *version, const char *name, enum mg_layout layout)
{
	char *vk = mg_version_key(version);
	size_t a = strlen(vk), b = strlen(name);
	char *k = mg_xmalloc(a + b + 4);

	k[0] = (char)('0' + (int)layout); /* one digit */
	k[1] = '\x1f';
	memcpy(k + 2, vk, a);
	k[2 + a] = '\x1f';
	memcpy(k + 3 + a, name, b + 1);
	free(vk);
	return k;
}

/* The slot of key k: where it is, or the empty one where it would go. */
static size_t slot_of(const struct cands *cs, const char *k)
{
	size_t m = cs->nslots - 1, i = key_hash(k) & m;

	while (cs->keys[i] && strcmp(cs->keys[i], k))
		i = (i + 1) & m;
	return i;
}

static void keys_grow(struct cands *cs)
{
	size_t old = cs->nslots;
	char **ok = cs->keys;
	size_t *oi = cs->idx;

	cs->nslots = old ? old * 2 : 64;
	cs->keys = mg_xcalloc(cs->nslots, sizeof(*cs->keys));
	cs->idx = mg_xcalloc(cs->nslots, sizeof(*cs->idx));
	for (size_t i = 0; i < old; i++) {
		if (ok[i]) {
			size_t j = slot_of(cs, ok[i]);
			cs->keys[j] = ok[i];
			cs->idx[j] = oi[i];
		}
	}
	free(ok);
	free(oi);
}

/* The first candidate with key k (cand_key), or NULL. */
static struct cand *cand_find(struct cands *cs, const char *k)
{
	size_t i;

	if (!cs->nslots)
		return NULL;
	i = slot_of(cs, k);
	return cs->keys[i] ? &cs->v[cs->idx[i]] : NULL;
}

/* Index candidate cs->v[at] under k (taken; freed if one with it came
 * first). */
static void cand_index(struct cands *cs, size_t at, char *k)
{
	size_t i;

	if (2 * (cs->nused + 1) > cs->nslots)
		keys_grow(cs);
	i = slot_of(cs, k);
	if (cs->keys[i]) {
		free(k);
		return;
	}
	cs->keys[i] = k;
	cs->idx[i] = at;
	cs->nused++;
}

static struct cand *cand_add(struct cands *cs)
{
	MG_GROW(cs->v, cs->cap, cs->n + 1);
	memset(&cs->v[cs->n], 0, sizeof(struct cand));
	return &cs->v[cs->n++];
}

/* Strip a pop-style dialect suffix (".postgres") from stem in place; return
 * its rank for the wanted dialect: 2 match, 1 no suffix, 0 other dialect. */
static int strip_dialect(char *stem, const char *dialect)
{
	static const struct { const char *suf, *dialect; } tab[] = {
		{ ".postgres", "postgres" }, { ".postgresql", "postgres" },
		{ ".pg", "postgres" }, { ".sqlite3", "sqlite" },
		{ ".sqlite", "sqlite" }, { ".mysql", "mysql" },
		{ ".cockroach", "cockroach" },
	};
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (ends_with(stem, tab[i].suf)) {
			stem[strlen(stem) - strlen(tab[i].suf)] = '\0';
			if (!dialect || !strcmp(dialect, tab[i].dialect))
				return 2;
			return 0;
		}
	}
	return 1;
}

/* classify_*: the name fits no layout (err is set as by bad_name);
 * discover() turns it into MG_EINPUT or an entry of set->unmatched. */
#define NO_LAYOUT 1

static int bad_name(struct mg_err *err, const char *dir, const char *name,
		    const char *why)
{
	char *p = mg_fs_join(dir, name);
	mg_err_set(err, MG_EINPUT, "bad-migration-name", "%s", why);
	mg_err_at(err, p, 0, 0);
	mg_err_hint(err, "name migrations VERSION_NAME.sql (sections), "
			 "VERSION_NAME.up.sql/.down.sql (pairs), VERSION_NAME/up.sql "
			 "(directories) or vA_to_vB/upgrade.sql (releases), VERSION "
			 "being digits such as 20240101120000, 0001 or 2.2.0; or set "
			 "\"filename_pattern\" in the config (docs/migration-layouts.md)");
	free(p);
	return MG_EINPUT;
}

/* A regular file in the top directory, default grammar. */
static int classify_file(const char *dir, const char *fname, struct cands *cs,
			 const char *dialect, struct mg_err *err)
{
	char *stem, *version = NULL, *name = NULL, *key;
	int direction = 0, rank; /* 1 up, -1 down, 0 sections */
	bool no_tx = false;
	enum mg_layout layout;
	struct cand *c;

	if (ends_with(fname, ".up.sql")) {
		direction = 1;
		stem = mg_xstrndup(fname, strlen(fname) - 7);
	} else if (ends_with(fname, ".down.sql")) {
		direction = -1;
		stem = mg_xstrndup(fname, strlen(fname) - 9);
	} else {
		stem = mg_xstrndup(fname, strlen(fname) - 4);
	}
	layout = direction ? MG_LAYOUT_PAIRS : MG_LAYOUT_SECTIONS;
	if (ends_with(stem, ".no-transaction") || ends_with(stem, ".autocommit")) {
		no_tx = true;
		*strrchr(stem, '.') = '\0';
	}
	rank = strip_dialect(stem, dialect);
	if (!mg_migset_split_name(stem, &version, &name)) {
		free(stem);
		bad_name(err, dir, fname, "file name does not start with a version");
		return NO_LAYOUT;
	}
	free(stem);
	if (rank == 0) {
		free(version);
		free(name);
		return 0;
	}
	key = cand_key(version, name, layout);
	c = cand_find(cs, key);
	if (!c || c->dialect_rank != rank) {
		c = cand_add(cs);
		c->version = version;
		c->name = name;
		c->layout = layout;
		c->dialect_rank = rank;
		c->label = mg_xstrdup(fname);
		cand_index(cs, cs->n - 1, key);
	} else {
		free(key);
		free(version);
		free(name);
	}
	{
		char **slot = direction < 0 ? &c->down_path : &c->up_path;
		if (*slot) {
			char *p = mg_fs_join(dir, fname);
			mg_err_set(err, MG_EINPUT, "duplicate-version",
				   "duplicate migration file for version '%s': '%s'",
				   c->version, *slot);
			mg_err_at(err, p, 0, 0);
			free(p);
			return MG_EINPUT;
		}
		*slot = mg_fs_join(dir, fname);
	}
	if (direction >= 0) {
		free(c->label);
		c->label = mg_xstrdup(fname);
	}
	if (no_tx)
		c->no_tx = true;
	return 0;
}

static int classify_subdir(const char *dir, const char *dname, struct cands *cs,
			   struct mg_err *err)
{
	char *sub = mg_fs_join(dir, dname);
	char *p_up = mg_fs_join(sub, "up.sql"), *p_down = mg_fs_join(sub, "down.sql");
	char *p_upg = mg_fs_join(sub, "upgrade.sql");
	char *p_dng = mg_fs_join(sub, "downgrade.sql");
	struct cand *c;
	int rc = 0;

	if (mg_fs_is_file(p_up) || mg_fs_is_file(p_down)) {
		char *version, *name;
		if (!mg_migset_split_name(dname, &version, &name)) {
			bad_name(err, dir, dname,
				 "directory name does not start with a version");
			rc = NO_LAYOUT;
			goto out;
		}
		c = cand_add(cs);
		c->version = version;
		c->name = name;
		c->layout = MG_LAYOUT_DIRS;
		c->label = mg_xstrdup(dname);
		c->dialect_rank = 1;
		if (mg_fs_is_file(p_up)) {
			c->up_path = p_up;
			p_up = NULL;
		}
		if (mg_fs_is_file(p_down)) {
			c->down_path = p_down;
			p_down = NULL;
		}
		c->meta_path = mg_fs_join(sub, "metadata.toml");
	} else if (mg_fs_is_file(p_upg) || mg_fs_is_file(p_dng)) {
		/* vA_to_vB: the version is the target release B */
		const char *to = strstr(dname, "_to_");
		const char *vs = to ? to + 4 : dname;
		size_t skip, n = mg_version_scan(vs, &skip);
		if (!n || vs[skip + n] != '\0') {
			bad_name(err, dir, dname,
				 "release directory must be named vFROM_to_vTO "
				 "(e.g. v2.1.0_to_v2.2.0) or vTO");
			rc = NO_LAYOUT;
			goto out;
		}
		c = cand_add(cs);
		c->version = mg_xstrndup(vs + skip, n);
		c->name = mg_xstrdup(dname);
		c->layout = MG_LAYOUT_RELEASES;
		c->label = mg_xstrdup(dname);
		c->dialect_rank = 1;
		if (mg_fs_is_file(p_upg)) {
			c->up_path = p_upg;
			p_upg = NULL;
		}
		if (mg_fs_is_file(p_dng)) {
			c->down_path = p_dng;
			p_dng = NULL;
		}
		c->readme_path = mg_fs_join(sub, "README.md");
	} else {
		bad_name(err, dir, dname,
			 "directory holds neither up.sql/down.sql nor "
			 "upgrade.sql/downgrade.sql");
		rc = NO_LAYOUT;
	}
out:
	free(sub);
	free(p_up);
	free(p_down);
	free(p_upg);
	free(p_dng);
	return rc;
}

static int classify_pattern(const char *dir, const char *fname, pcre2_code *re,
			    pcre2_match_data *md, struct cands *cs,
			    struct mg_err *err)
{
	int n = pcre2_match(re, (PCRE2_SPTR)fname, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
	PCRE2_UCHAR *v = NULL, *nm = NULL, *dir_s = NULL;
	PCRE2_SIZE l;
	int direction = 0;
	struct cand *c;
	char **slot;

	if (n < 0) {
		if (ignorable_file(fname))
			return 0;
		bad_name(err, dir, fname,
			 "file name does not match the configured filename_pattern");
		return NO_LAYOUT;
	}
	if (pcre2_substring_get_byname(md, (PCRE2_SPTR) "version", &v, &l) != 0 || !l) {
		pcre2_substring_free(v);
		return bad_name(err, dir, fname,
				"filename_pattern matched but captured no 'version'");
	}
	if (pcre2_substring_get_byname(md, (PCRE2_SPTR) "name", &nm, &l) != 0)
		nm = NULL;
	if (pcre2_substring_get_byname(md, (PCRE2_SPTR) "direction", &dir_s, &l) == 0 && l) {
		const char *d = (const char *)dir_s;
		if (!strcasecmp(d, "up") || !strcasecmp(d, "upgrade"))
			direction = 1;
		else if (!strcasecmp(d, "down") || !strcasecmp(d, "downgrade"))
			direction = -1;
		else {
			pcre2_substring_free(v);
			pcre2_substring_free(nm);
			pcre2_substring_free(dir_s);
			return bad_name(err, dir, fname,
					"the 'direction' group must capture up or down");
		}
	}
	c = NULL;
	for (size_t i = 0; i < cs->n; i++)
		if (!mg_version_cmp(cs->v[i].version, (const char *)v))
			c = &cs->v[i];
	if (!c || !direction) {
		c = cand_add(cs);
		c->version = mg_xstrdup((const char *)v);
		c->name = mg_xstrdup(nm ? (const char *)nm : "");
		c->label = mg_xstrdup(fname);
		c->layout = MG_LAYOUT_PATTERN;
		c->dialect_rank = 1;
	}
	pcre2_substring_free(v);
	pcre2_substring_free(nm);
	pcre2_substring_free(dir_s);
	if (!direction) {
		c->up_path = mg_fs_join(dir, fname);
		c->dialect_rank = 3; /* sectioned file */
		return 0;
	}
	slot = direction < 0 ? &c->down_path : &c->up_path;
	if (*slot) {
		char *p = mg_fs_join(dir, fname);
		mg_err_set(err, MG_EINPUT, "duplicate-version",
			   "duplicate migration file for version '%s': '%s'",
			   c->version, *slot);
		mg_err_at(err, p, 0, 0);
		free(p);
		return MG_EINPUT;
	}
	*slot = mg_fs_join(dir, fname);
	return 0;
}

static void add_unmatched(struct mg_migset *set, bool is_dir, struct mg_err *e)
{
	struct mg_unmatched *u;

	MG_GROW(set->unmatched, set->capunmatched, set->nunmatched + 1);
	u = &set->unmatched[set->nunmatched++];
	u->path = mg_xstrdup(e->file ? e->file : "");
	u->is_dir = is_dir;
	u->why = mg_xstrdup(e->msg ? e->msg : "");
	mg_err_release(e);
}

static int discover(const char *dir, const struct mg_migset_opts *opts,
		    unsigned flags, struct cands *cs, struct mg_migset *set,
		    struct mg_err *err)
{
	struct ent *names;
	size_t n;
	int rc = list_dir(dir, &names, &n, err);
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;

	if (rc)
		return rc;
	if (opts && opts->pattern) {
		int ec;
		PCRE2_SIZE eo;
		re = pcre2_compile((PCRE2_SPTR)opts->pattern, PCRE2_ZERO_TERMINATED,
				   PCRE2_UTF, &ec, &eo, NULL);
		if (!re) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(ec, msg, sizeof(msg));
			mg_err_set(err, MG_ECONFIG, "bad-filename-pattern",
				   "filename_pattern is not a valid PCRE2 pattern at "
				   "offset %zu: %s", (size_t)eo, (char *)msg);
			free_list(names, n);
			return MG_ECONFIG;
		}
		if (pcre2_substring_number_from_name(re, (PCRE2_SPTR) "version") < 0) {
			mg_err_set(err, MG_ECONFIG, "bad-filename-pattern",
				   "filename_pattern has no named group 'version'");
			mg_err_hint(err, "example: ^(?<version>\\d+)_(?<name>.+)\\."
					 "(?<direction>up|down)\\.sql$");
			pcre2_code_free(re);
			free_list(names, n);
			return MG_ECONFIG;
		}
		md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const char *nm = names[i].name;
		unsigned char t = names[i].type;
		struct stat st;
		/* readdir's d_type saves a stat per file: a regular file is
		 * read (and fstat'ed) later anyway, and a file that is not a
		 * migration is never looked at. Symbolic links and file
		 * systems that do not fill d_type take the stat. */
		if (t != DT_REG && t != DT_DIR) {
			char *p = mg_fs_join(dir, nm);
			if (stat(p, &st) != 0) {
				mg_err_set(err, MG_EIO, "cannot-read",
					   "cannot stat '%s': %s", p, strerror(errno));
				mg_err_hint(err, "a broken or looping symbolic link? "
						 "remove it from the migrations directory");
				rc = MG_EIO;
				free(p);
				break;
			}
			free(p);
			t = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
		}
		if (t == DT_DIR) {
			if (!re)
				rc = classify_subdir(dir, nm, cs, err);
		} else if (re) {
			rc = classify_pattern(dir, nm, re, md, cs, err);
		} else if (!ignorable_file(nm)) {
			rc = classify_file(dir, nm, cs,
					   opts ? opts->dialect : NULL, err);
		}
		if (rc == NO_LAYOUT) {
			rc = MG_EINPUT;
			if (flags & MG_MIGSET_KEEP_UNMATCHED) {
				add_unmatched(set, t == DT_DIR, err);
				rc = 0;
			}
		}
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	free_list(names, n);
	return rc;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = mg_version_cmp(x->version, y->version);
	if (c)
		return c;
	return y->dialect_rank - x->dialect_rank;
}

/* Order, drop generic files shadowed by dialect ones, and reject
 * duplicates, lone downs and mixed layouts. */
static int check_cands(const char *dir, struct cands *cs, enum mg_layout *layout,
		       struct mg_err *err)
{
	size_t i, w = 0;

	/* names come sorted, and that is usually version order already */
	for (i = 1; i < cs->n; i++)
		if (cmp_cand(&cs->v[i - 1], &cs->v[i]) > 0)
			break;
	if (i < cs->n)
		qsort(cs->v, cs->n, sizeof(cs->v[0]), cmp_cand);
	for (i = 0; i < cs->n; i++) {
		if (w && !mg_version_cmp(cs->v[w - 1].version, cs->v[i].version) &&
		    cs->v[w - 1].dialect_rank == 2 && cs->v[i].dialect_rank == 1) {
			cand_free(&cs->v[i]);
			continue;
		}
		cs->v[w++] = cs->v[i];
	}
	cs->n = w;
	*layout = MG_LAYOUT_NONE;
	for (i = 0; i < cs->n; i++) {
		struct cand *c = &cs->v[i];
		if (i && !mg_version_cmp(cs->v[i - 1].version, c->version)) {
			char *a = cs->v[i - 1].up_path ? cs->v[i - 1].up_path : cs->v[i - 1].down_path;
			char *b = c->up_path ? c->up_path : c->down_path;
			mg_err_set(err, MG_EINPUT, "duplicate-version",
				   "version '%s' is used twice: '%s' and '%s'",
				   c->version, a, b);
			mg_err_at(err, b, 0, 0);
			mg_err_hint(err, "give one of them a new version "
					 "(migrate new NAME creates a fresh timestamp)");
			return MG_EINPUT;
		}
		if (!c->up_path) {
			mg_err_set(err, MG_EINPUT, "missing-up",
				   "down migration '%s' has no matching up migration",
				   c->down_path);
			mg_err_at(err, c->down_path, 0, 0);
			mg_err_hint(err, "add the up file, or remove the down file");
			return MG_EINPUT;
		}
		if (*layout == MG_LAYOUT_NONE)
			*layout = c->layout;
		else if (*layout != c->layout && c->layout != MG_LAYOUT_PATTERN) {
			mg_err_set(err, MG_EINPUT, "mixed-layouts",
				   "'%s' is in the %s layout but '%s' is in the %s layout",
				   c->label, mg_layout_name(c->layout),
				   cs->v[0].label, mg_layout_name(cs->v[0].layout));
			mg_err_at(err, c->up_path, 0, 0);
			mg_err_hint(err, "keep one layout per migrations directory "
					 "(docs/migration-layouts.md)");
			(void)dir;
			return MG_EINPUT;
		}
	}
	return 0;
}

/* True when text[off,end) has nothing but blanks and comments. */
static bool only_comments(const char *s, size_t off, size_t end)
{
	size_t i = off;
	while (i < end) {
		char c = s[i];
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if ((c == '-' && i + 1 < end && s[i + 1] == '-') ||
		    (c == '/' && i + 1 < end && s[i + 1] == '*')) {
			i = mg_sql_skip_element(s, i, end);
			continue;
		}
		return false;
	}
	return true;
}

static void checksum(struct mg_script *sc)
{
	const char *t = sc->src->text + sc->off;
	size_t len = sc->end - sc->off;
	char *c;

	/* the checksum is of the text with CRLF -> LF: hash in place unless
	 * there is a CR to drop */
	if (!memchr(t, '\r', len)) {
		mg_sha256_hex(t, len, sc->checksum);
		return;
	}
	c = mg_script_text(sc, &len);
	mg_sha256_hex(c, len, sc->checksum);
	free(c);
}

char *mg_script_text(const struct mg_script *s, size_t *len_out)
{
	struct mg_buf b = MG_BUF_INIT;
	const char *t;
	size_t i, start;

	if (!s->present || !s->src) {
		if (len_out)
			*len_out = 0;
		return mg_xstrdup("");
	}
	if (!s->src->text) {
		/* a script from the checksum cache (status only) has no text;
		 * never run or print one as if it were empty */
		fprintf(stderr, "migrate: internal error: the text of '%s' was not "
			"read\n", s->src->path);
		abort();
	}
	t = s->src->text;
	start = s->off;
	for (i = s->off; i < s->end; i++) {
		if (t[i] == '\r' && i + 1 < s->end && t[i + 1] == '\n') {
			mg_buf_add(&b, t + start, i - start);
			start = i + 1;
		}
	}
	mg_buf_add(&b, t + start, s->end - start);
	return mg_buf_detach(&b, len_out);
}

static int dir_err(struct mg_err *err, const struct mg_source *src,
		   const struct mg_directive *d, const char *id, const char *msg,
		   const char *hint)
{
	unsigned line, col;
	mg_source_pos(src, d->off, &line, &col);
	mg_err_set(err, MG_EINPUT, id, "%s", msg);
	mg_err_at(err, src->path, line, col);
	if (hint)
		mg_err_hint(err, "%s", hint);
	return MG_EINPUT;
}

/* Fill a script from a whole file (layouts 2-4) or check for markers. */
static int script_whole(struct mg_script *sc, const struct mg_source *src,
			bool name_no_tx, bool sums, struct mg_err *err)
{
	int rc;

	sc->present = true;
	sc->src = src;
	sc->off = 0;
	sc->end = src->len;
	rc = mg_directives_scan(src, 0, src->len, &sc->dirs, err);
	if (rc)
		return rc;
	sc->no_tx = name_no_tx;
	for (size_t i = 0; i < sc->dirs.n; i++) {
		const struct mg_directive *d = &sc->dirs.items[i];
		if (d->kind == MG_DIR_UP || d->kind == MG_DIR_DOWN)
			return dir_err(err, src, d, "misplaced-section-marker",
				       "'-- migrate:up' and '-- migrate:down' belong in "
				       "single-file migrations only",
				       "this file already is one direction of a "
				       "migration: remove the marker");
		if (d->kind == MG_DIR_NO_TRANSACTION)
			sc->no_tx = true;
	}
	sc->empty = only_comments(src->text, 0, src->len);
	if (sums)
		checksum(sc);
	return 0;
}

/* Split a sectioned file into its up and down scripts. */
static int script_sections(struct mg_migration *m, const struct mg_source *src,
			   bool sums, struct mg_err *err)
{
	struct mg_directives all = { 0 };
	const struct mg_directive *up = NULL, *down = NULL;
	bool pre_no_tx = false;
	int rc = mg_directives_scan(src, 0, src->len, &all, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < all.n; i++) {
		const struct mg_directive *d = &all.items[i];
		if (d->kind == MG_DIR_UP) {
			if (up) {
				rc = dir_err(err, src, d, "duplicate-section",
					     "second '-- migrate:up' section", NULL);
				goto out;
			}
			if (down) {
				rc = dir_err(err, src, d, "section-order",
					     "'-- migrate:up' must come before "
					     "'-- migrate:down'", NULL);
				goto out;
			}
			up = d;
		} else if (d->kind == MG_DIR_DOWN) {
			if (down) {
				rc = dir_err(err, src, d, "duplicate-section",
					     "second '-- migrate:down' section", NULL);
				goto out;
			}
			down = d;
		} else if (d->kind == MG_DIR_NO_TRANSACTION && !up) {
			pre_no_tx = true;
		} else if (d->kind == MG_DIR_DESCRIPTION && d->text && !m->description) {
			m->description = mg_xstrdup(d->text);
		}
	}
	if (!up) {
		mg_err_set(err, MG_EINPUT, "missing-up-section",
			   "no '-- migrate:up' section marker");
		mg_err_at(err, src->path, 1, 1);
		mg_err_hint(err, "start the upgrade SQL with a line '-- migrate:up' "
				 "and the downgrade SQL with '-- migrate:down'");
		rc = MG_EINPUT;
		goto out;
	}
	if (!only_comments(src->text, 0, up->off)) {
		unsigned line, col;
		size_t i = 0;
		while (i < up->off) {
			const char *t = src->text;
			if (isspace((unsigned char)t[i]))
				i++;
			else if ((t[i] == '-' && t[i + 1] == '-') ||
				 (t[i] == '/' && t[i + 1] == '*'))
				i = mg_sql_skip_element(t, i, up->off);
			else
				break;
		}
		mg_source_pos(src, i, &line, &col);
		mg_err_set(err, MG_EINPUT, "sql-outside-section",
			   "SQL before the '-- migrate:up' marker");
		mg_err_at(err, src->path, line, col);
		mg_err_hint(err, "move it below '-- migrate:up'");
		rc = MG_EINPUT;
		goto out;
	}
	m->up.present = true;
	m->up.src = src;
	m->up.off = up->end;
	m->up.end = down ? down->off : src->len;
	m->up.no_tx = up->no_tx || pre_no_tx;
	if (down) {
		m->down.present = true;
		m->down.src = src;
		m->down.off = down->end;
		m->down.end = src->len;
		m->down.no_tx = down->no_tx || pre_no_tx;
	}
	for (size_t i = 0; i < all.n; i++) {
		struct mg_directive *d = &all.items[i];
		struct mg_script *sc;
		if (d->kind == MG_DIR_UP || d->kind == MG_DIR_DOWN)
			continue;
		if (d->off < m->up.off)
			continue; /* header: description / no-transaction */
		sc = (down && d->off >= m->down.off) ? &m->down : &m->up;
		if (d->kind == MG_DIR_NO_TRANSACTION)
			sc->no_tx = true;
		MG_GROW(sc->dirs.items, sc->dirs.cap, sc->dirs.n + 1);
		sc->dirs.items[sc->dirs.n++] = *d;
		memset(d, 0, sizeof(*d));
	}
	m->up.empty = only_comments(src->text, m->up.off, m->up.end);
	if (sums)
		checksum(&m->up);
	if (down) {
		m->down.empty = only_comments(src->text, m->down.off, m->down.end);
		if (sums)
			checksum(&m->down);
	}
out:
	mg_directives_release(&all);
	return rc;
}

/* diesel's metadata.toml: run_in_transaction = false */
static bool diesel_no_tx(const char *path)
{
	char *t;
	size_t n;
	bool r = false;
	struct mg_err e = MG_ERR_INIT;

	if (!mg_fs_is_file(path) || mg_fs_read(path, &t, &n, &e)) {
		mg_err_release(&e);
		return false;
	}
	char *save = NULL;

	for (char *line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!strncmp(p, "run_in_transaction", 18)) {
			p += 18;
			while (isspace((unsigned char)*p) || *p == '=')
				p++;
			r = !strncmp(p, "false", 5);
		}
	}
	free(t);
	return r;
}

static char *readme_description(const char *path)
{
	char *t, *line, *p;
	size_t n;
	struct mg_err e = MG_ERR_INIT;
	char *r = NULL;
	char *save = NULL;

	if (!mg_fs_is_file(path) || mg_fs_read(path, &t, &n, &e)) {
		mg_err_release(&e);
		return NULL;
	}

	for (line = strtok_r(t, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		p = line;
		while (*p == '#' || isspace((unsigned char)*p))
			p++;
		if (*p) {
			size_t l = strlen(p);
			while (l && isspace((unsigned char)p[l - 1]))
				l--;
			r = mg_xstrndup(p, l);
			break;
		}
	}
	free(t);
	return r;
}

/* ---- reading the files: one job per candidate, on a few threads ---------
 *
 * Each job reads, scans and checksums its candidate's files into its own
 * slot (set->items[i], job->src, job->err) and touches nothing shared but
 * the read-only checksum cache; mg_migset_load_flags then walks the slots
 * in version order, so the first error and every result are the same as
 * one file after the other would give. */

struct job {
	struct mg_source *src[2];       /* owned until moved to the set */
	/* with a cache only: */
	struct mg_sumcache_key key[2];  /* the file's stat */
	long hit[2];                    /* cache handle, or -1: read */
	bool fresh[2];                  /* read; to be kept in the cache */
	bool text_no_tx[2];             /* whole layouts: no_tx from the text */
	enum mg_sumcache_mode mode;
	int rc;
	struct mg_err *err;             /* owned; when rc */
};

struct loader {
	struct mg_migset *set;
	struct cands *cs;
	struct job *jobs;
	bool sums;
	const struct mg_sumcache *cache; /* NULL: none (or no checksums) */
	int64_t now_ns;
	int dirfd;                       /* the set's directory, or -1 */
};

/* path relative to the migrations directory (paths are mg_fs_join'ed) */
static const char *rel_path(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return path + n + (n && dir[n - 1] == '/' ? 0 : 1);
}

static void entry_script(struct mg_sumcache_script *e, const struct mg_script *sc)
{
	e->present = sc->present;
	e->no_tx = sc->no_tx;
	e->empty = sc->empty;
	memcpy(e->checksum, sc->checksum, sizeof(e->checksum));
}

static void script_of_entry(struct mg_script *sc, const struct mg_source *src,
			    const struct mg_sumcache_script *e)
{
	sc->present = true;
	sc->src = src;
	sc->off = sc->end = 0;
	sc->no_tx = e->no_tx;
	sc->empty = e->empty;
	memcpy(sc->checksum, e->checksum, sizeof(sc->checksum));
}

/* File k of job j: its cache entry (*hit true, *e filled; j->src[k] is a
 * source without text) or its text. MG_EINPUT when it cannot be read, as
 * ever. */
/* *pathp: the candidate's path; a cache hit takes it over as the
 * source's path (no copy). */
static int read_file(struct loader *ld, struct job *j, int k, char **pathp,
		     enum mg_sumcache_mode mode, bool *hit,
		     struct mg_sumcache_entry *e, struct mg_err *err)
{
	struct mg_source *s = mg_xcalloc(1, sizeof(*s));
	const char *path = *pathp;
	struct stat st;
	char *text;
	size_t len;

	*hit = false;
	j->hit[k] = -1;
	if (ld->cache) {
		const char *rel = rel_path(ld->set->dir, path);
		long h = mg_sumcache_find(ld->cache, rel);
		/* relative to the open directory: one name looked up, not
		 * the directory's path again for each of 10,000 files */
		if (h >= 0 &&
		    (ld->dirfd >= 0 ? fstatat(ld->dirfd, rel, &st, 0) : stat(path, &st)) == 0) {
			mg_sumcache_key_of(&j->key[k], &st);
			j->hit[k] = mg_sumcache_lookup(ld->cache, h, &j->key[k], mode,
						       ld->now_ns, e);
		}
		if (j->hit[k] >= 0) {
			s->path = *pathp;
			*pathp = NULL;
			j->src[k] = s;
			*hit = true;
			return 0;
		}
	}
	/* the stat that keys the cache is taken on the open file before it
	 * is read: a change after it shows in ctime next time */
	if (mg_fs_read_stat(path, &text, &len, ld->cache ? &st : NULL, err) ||
	    mg_source_adopt(s, path, text, len, err)) {
		free(s);
		return MG_EINPUT;
	}
	if (ld->cache) {
		mg_sumcache_key_of(&j->key[k], &st);
		j->fresh[k] = true;
	}
	j->src[k] = s;
	return 0;
}

/* The text of a whole-file script's first description directive, or NULL. */
static const char *text_description(const struct mg_script *sc)
{
	for (size_t d = 0; d < sc->dirs.n; d++)
		if (sc->dirs.items[d].kind == MG_DIR_DESCRIPTION && sc->dirs.items[d].text)
			return sc->dirs.items[d].text;
	return NULL;
}

static void load_one(void *arg, size_t i)
{
	struct loader *ld = arg;
	struct cand *c = &ld->cs->v[i];
	struct job *j = &ld->jobs[i];
	struct mg_migration *m = &ld->set->items[i];
	struct mg_err err = MG_ERR_INIT;
	struct mg_sumcache_entry e;
	bool hit;
	int rc = 0;

	/* the candidate's strings move to the migration */
	m->version = c->version;
	m->name = c->name;
	m->label = c->label;
	c->version = c->name = c->label = NULL;
	if ((c->layout == MG_LAYOUT_SECTIONS) ||
	    (c->layout == MG_LAYOUT_PATTERN && c->dialect_rank == 3 && !c->down_path)) {
		j->mode = MG_SUMCACHE_SECTIONS;
		if ((rc = read_file(ld, j, 0, &c->up_path, MG_SUMCACHE_SECTIONS, &hit,
				    &e, &err)))
			goto out;
		if (hit) {
			script_of_entry(&m->up, j->src[0], &e.up);
			if (e.down.present)
				script_of_entry(&m->down, j->src[0], &e.down);
			if (e.description)
				m->description = mg_xstrdup(e.description);
		} else {
			rc = script_sections(m, j->src[0], ld->sums, &err);
		}
	} else {
		bool no_tx = c->no_tx || (c->meta_path && diesel_no_tx(c->meta_path));
		j->mode = MG_SUMCACHE_WHOLE;
		for (int k = 0; k < 2 && !rc; k++) {
			char **path = k ? &c->down_path : &c->up_path;
			struct mg_script *sc = k ? &m->down : &m->up;
			if (!*path)
				break;
			if ((rc = read_file(ld, j, k, path, MG_SUMCACHE_WHOLE, &hit, &e,
					    &err)))
				break;
			if (hit) {
				script_of_entry(sc, j->src[k], &e.up);
				if (!k && e.description)
					m->description = mg_xstrdup(e.description);
			} else if (!(rc = script_whole(sc, j->src[k], false, ld->sums, &err)) &&
				   !k && text_description(sc)) {
				m->description = mg_xstrdup(text_description(sc));
			}
			/* the name's and diesel's no-transaction are no part
			 * of what the file's text says (the cache entry) */
			j->text_no_tx[k] = sc->no_tx;
			sc->no_tx = sc->no_tx || no_tx;
		}
		if (!rc && !m->description && c->readme_path)
			m->description = readme_description(c->readme_path);
	}
out:
	j->rc = rc;
	if (rc) {
		j->err = mg_xcalloc(1, sizeof(*j->err));
		mg_err_move(j->err, &err);
	}
}

/* The cache entry of file k of a freshly read migration. */
static void fresh_entry(const struct mg_migset *set, const struct job *j,
			size_t i, int k, struct mg_sumcache_entry *e)
{
	const struct mg_migration *m = &set->items[i];

	memset(e, 0, sizeof(*e));
	if (j->mode == MG_SUMCACHE_SECTIONS) {
		e->mode = MG_SUMCACHE_SECTIONS;
		entry_script(&e->up, &m->up);
		entry_script(&e->down, &m->down);
		e->description = m->description;
		return;
	}
	e->mode = MG_SUMCACHE_WHOLE;
	entry_script(&e->up, k ? &m->down : &m->up);
	e->up.no_tx = j->text_no_tx[k];
	/* the description the text gives (not README.md's) */
	if (!k)
		e->description = text_description(&m->up);
}

/* Read every candidate into set->items (in order); the first error in
 * that order is the result. */
static int load_all(struct mg_migset *set, struct cands *cs, bool sums,
		    struct mg_sumcache *cache, struct mg_err *err)
{
	struct loader ld = { set, cs, NULL, sums, sums ? cache : NULL, 0, -1 };
	int rc = 0;

	if (!cs->n)
		return 0;
	ld.now_ns = mg_sumcache_now_ns();
	ld.dirfd = ld.cache ? open(set->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	ld.jobs = mg_xcalloc(cs->n, sizeof(*ld.jobs));
	set->items = mg_xcalloc(cs->n + 1, sizeof(*set->items));
	set->cap = cs->n + 1;
	set->n = cs->n;
	mg_workers_run(cs->n, 64, load_one, &ld);
	set->sources = mg_xcalloc(2 * cs->n + 1, sizeof(*set->sources));
	set->srccap = 2 * cs->n + 1;
	for (size_t i = 0; i < cs->n; i++) {
		struct job *j = &ld.jobs[i];
		for (int k = 0; k < 2; k++)
			if (j->src[k])
				set->sources[set->nsources++] = j->src[k];
		if (j->rc && !rc) {
			rc = j->rc;
			mg_err_move(err, j->err);
		}
		if (j->err) {
			mg_err_release(j->err);
			free(j->err);
		}
	}
	for (size_t i = 0; ld.cache && !rc && i < cs->n; i++) {
		struct job *j = &ld.jobs[i];
		for (int k = 0; k < 2; k++) {
			struct mg_sumcache_entry e;
			if (!j->src[k])
				continue;
			if (j->hit[k] >= 0) {
				mg_sumcache_keep_hit(cache, j->hit[k]);
			} else if (j->fresh[k]) {
				fresh_entry(set, j, i, k, &e);
				mg_sumcache_keep_new(cache, rel_path(set->dir, j->src[k]->path),
						     &j->key[k], &e);
			}
		}
	}
	free(ld.jobs);
	if (ld.dirfd >= 0)
		close(ld.dirfd);
	return rc;
}

int mg_migset_load(struct mg_migset *set, const char *dir,
		   const struct mg_migset_opts *opts, struct mg_err *err)
{
	return mg_migset_load_flags(set, dir, opts, 0, err);
}

int mg_migset_load_flags(struct mg_migset *set, const char *dir,
			 const struct mg_migset_opts *opts, unsigned flags,
			 struct mg_err *err)
{
	return mg_migset_load_cached(set, dir, opts, flags, NULL, err);
}

int mg_migset_load_cached(struct mg_migset *set, const char *dir,
			  const struct mg_migset_opts *opts, unsigned flags,
			  struct mg_sumcache *cache, struct mg_err *err)
{
	struct cands cs = { 0 };
	int rc;

	memset(set, 0, sizeof(*set));
	set->dir = mg_xstrdup(dir);
	rc = discover(dir, opts, flags, &cs, set, err);
	if (!rc)
		rc = check_cands(dir, &cs, &set->layout, err);
	if (!rc)
		rc = load_all(set, &cs, !(flags & MG_MIGSET_NO_CHECKSUMS),
			      cache, err);
	cands_release(&cs);
	if (rc) {
		mg_migset_release(set);
		return rc;
	}
	set->loaded = true;
	return 0;
}

void mg_migset_release(struct mg_migset *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct mg_migration *m = &set->items[i];
		free(m->version);
		free(m->name);
		free(m->description);
		free(m->label);
		mg_directives_release(&m->up.dirs);
		mg_directives_release(&m->down.dirs);
	}
	free(set->items);
	for (size_t i = 0; i < set->nsources; i++) {
		mg_source_release(set->sources[i]);
		free(set->sources[i]);
	}
	free(set->sources);
	for (size_t i = 0; i < set->nunmatched; i++) {
		free(set->unmatched[i].path);
		free(set->unmatched[i].why);
	}
	free(set->unmatched);
	free(set->dir);
	memset(set, 0, sizeof(*set));
}

long mg_migset_find(const struct mg_migset *set, const char *v)
{
	for (size_t i = 0; i < set->n; i++)
		if (!mg_version_cmp(set->items[i].version, v))
			return (long)i;
	return -1;
}
