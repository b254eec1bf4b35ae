/* migset: discover, order and checksum migrations; see migset.h. */
#include "migset.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <stdint.h>
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

/* ---- the set's strings --------------------------------------------------
 *
 * Versions, names, labels and paths of a set are carved from a few large
 * blocks (one allocation per block instead of several per file) and go
 * with the set in mg_migset_release. */

struct mg_strblock {
	struct mg_strblock *next;
	size_t used, cap;
	char data[];
};

/* n bytes of the set's strings (not NUL-terminated by this). */
static char *str_alloc(struct mg_migset *set, size_t n)
{
	struct mg_strblock *b = set->strings;

	if (!b || b->cap - b->used < n) {
		size_t cap = b && b->cap < ((size_t)1 << 20) ? 2 * b->cap : b ? b->cap : 4096;
		if (cap < n)
			cap = n;
		b = mg_xmalloc(sizeof(*b) + cap);
		b->next = set->strings;
		b->used = 0;
		b->cap = cap;
		set->strings = b;
	}
	b->used += n;
	return b->data + b->used - n;
}

/* s[0, n) as a string of the set. */
static char *str_dup(struct mg_migset *set, const char *s, size_t n)
{
	char *p = str_alloc(set, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void strings_release(struct mg_migset *set)
{
	struct mg_strblock *b = set->strings, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	set->strings = NULL;
}

/* One migration as found on disk, before its files are read. Its strings
 * are the set's. */
struct cand {
	const char *version, *name, *label;
	const char *up_path, *down_path;  /* or NULL */
	const char *readme_path;          /* layout 4 description */
	const char *meta_path;            /* layout 3 diesel metadata.toml */
	enum mg_layout layout;
	bool no_tx;                 /* from the file name (.no-transaction.) */
	int dialect_rank;           /* 2 exact dialect, 1 generic */
};

/* What discovery works with. */
struct cands {
	struct cand *v;
	size_t n, cap;
	/* (layout, version key, name) -> first candidate with it: an open
	 * addressing table, so discovery stays linear in the number of files */
	struct slot {
		size_t hash;
		size_t at;          /* index in v, plus 1; 0 = empty slot */
	} *slots;
	size_t nslots, nused;
	struct mg_migset *set;      /* whose strings these are */
	const char *dir;
	size_t dirlen;
};

static void cands_release(struct cands *cs)
{
	free(cs->v);
	free(cs->slots);
	memset(cs, 0, sizeof(*cs));
}

/* The version at the start of stem (after an optional 'v') and the name
 * after its separator: offsets and lengths into stem. False if stem starts
 * with no version. */
static bool split_name(const char *stem, size_t *voff, size_t *vlen,
		       const char **name)
{
	size_t skip, n = mg_version_scan(stem, &skip);
	const char *rest;

	if (!n)
		return false;
	rest = stem + skip + n;
	if (*rest && *rest != '_' && *rest != '-' && *rest != '.')
		return false;
	*voff = skip;
	*vlen = n;
	*name = *rest ? rest + 1 : rest;
	return true;
}

bool mg_migset_split_name(const char *stem, char **version, char **name)
{
	size_t voff, vlen;
	const char *rest;

	if (!split_name(stem, &voff, &vlen, &rest))
		return false;
	*version = mg_xstrndup(stem + voff, vlen);
	*name = mg_xstrdup(rest);
	return true;
}

/* s (of length n) ends with suf */
static bool ends_with_n(const char *s, size_t n, const char *suf, size_t sn)
{
	return n >= sn && memcmp(s + n - sn, suf, sn) == 0;
}
#define ENDS(s, n, lit) ends_with_n(s, n, lit, sizeof(lit) - 1)

/* A directory entry: its name (the set's string) and readdir's d_type. */
struct ent {
	const char *name;
	size_t len;
	unsigned char type;
};

/* For sorting: the first 16 bytes of the name, big-endian and zero-padded
 * after its end (so comparing k0, k1 as numbers is comparing those bytes
 * as strcmp does), then the name. */
struct sortkey {
	uint64_t k0, k1;
	const struct ent *e;
};

static uint64_t be64(const char *s, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < 8; i++)
		v = v << 8 | (i < n ? (unsigned char)s[i] : 0);
	return v;
}

static bool key_less(const struct sortkey *a, const struct sortkey *b)
{
	if (a->k0 != b->k0)
		return a->k0 < b->k0;
	if (a->k1 != b->k1)
		return a->k1 < b->k1;
	return strcmp(a->e->name, b->e->name) < 0;
}

/* Sort a[0, n) by name, stably: a merge sort between a and b (room for n
 * each); returns the one that holds the result. Names from readdir come
 * in hash order; most comparisons are decided by the first 16 bytes,
 * without a call. */
static struct sortkey *sort_keys(struct sortkey *a, struct sortkey *b, size_t n)
{
	for (size_t w = 1; w < n; w *= 2) {
		struct sortkey *t;
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi)
				b[o++] = key_less(&a[j], &a[i]) ? a[j++] : a[i++];
			while (i < mid)
				b[o++] = a[i++];
			while (j < hi)
				b[o++] = a[j++];
		}
		t = a;
		a = b;
		b = t;
	}
	return a;
}

/* v[0, n) in name order. */
static void sort_names(struct ent *v, size_t n)
{
	struct sortkey *k = mg_xmalloc(2 * n * sizeof(*k)), *r;
	struct ent *sorted = mg_xmalloc(n * sizeof(*sorted));

	for (size_t i = 0; i < n; i++) {
		k[i].k0 = be64(v[i].name, v[i].len);
		k[i].k1 = v[i].len > 8 ? be64(v[i].name + 8, v[i].len - 8) : 0;
		k[i].e = &v[i];
	}
	r = sort_keys(k, k + n, n);
	for (size_t i = 0; i < n; i++)
		sorted[i] = *r[i].e;
	memcpy(v, sorted, n * sizeof(*v));
	free(sorted);
	free(k);
}

/* Sorted visible entries of dir (an owned array; the names are the set's
 * strings). */
static int list_dir(struct mg_migset *set, const char *dir, struct ent **out,
		    size_t *nout, struct mg_err *err)
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
		size_t len;
		if (de->d_name[0] == '.')
			continue;
		len = strlen(de->d_name);
		MG_GROW(v, cap, n + 1);
		v[n].name = str_dup(set, de->d_name, len);
		v[n].len = len;
		v[n++].type = de->d_type;
	}
	closedir(d);
	if (n > 1)
		sort_names(v, n);
	*out = v;
	*nout = n;
	return 0;
}

/* dir/name as a string of the set (as mg_fs_join would join them). */
static const char *join(struct cands *cs, const char *name, size_t len)
{
	size_t a = cs->dirlen;
	bool slash = a && cs->dir[a - 1] == '/';
	char *p = str_alloc(cs->set, a + !slash + len + 1);

	memcpy(p, cs->dir, a);
	if (!slash)
		p[a++] = '/';
	memcpy(p + a, name, len);
	p[a + len] = '\0';
	return p;
}

static size_t hash_bytes(size_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211u;
	return h;
}

/* The hash of (layout, version key, name): candidates are the same
 * migration when all three are equal. */
static size_t cand_hash(const char *version, size_t vlen, const char *name,
			enum mg_layout layout)
{
	char small[64], *vk = NULL;
	char sep = '\x1f', l = (char)('0' + (int)layout);
	size_t h = 14695981039346656037u, i = 0;

	/* digits without a leading zero are their own key */
	if (version[0] != '0')
		while (i < vlen && (unsigned)(version[i] - '0') < 10)
			i++;
	if (i < vlen || !vlen) {
		vk = vlen + 2 <= sizeof(small) ? small : mg_xmalloc(vlen + 2);
		mg_version_key_to(version, vk);
	}
	h = hash_bytes(h, &l, 1);
	h = hash_bytes(h, &sep, 1);
	h = vk ? hash_bytes(h, vk, strlen(vk)) : hash_bytes(h, version, vlen);
	h = hash_bytes(h, &sep, 1);
	h = hash_bytes(h, name, strlen(name));
	if (vk && vk != small)
		free(vk);
	return h;
}

static bool cand_is(const struct cand *c, const char *version, const char *name,
		    enum mg_layout layout)
{
	return c->layout == layout && !strcmp(c->name, name) &&
	       !mg_version_cmp(c->version, version);
}

/* The slot of (hash, version, name, layout): where its first candidate
 * is, or the empty one where it would go. */
static size_t slot_of(const struct cands *cs, size_t h, const char *version,
		      const char *name, enum mg_layout layout)
{
	size_t m = cs->nslots - 1, i = h & m;

	while (cs->slots[i].at && (cs->slots[i].hash != h ||
				   !cand_is(&cs->v[cs->slots[i].at - 1], version, name, layout)))
		i = (i + 1) & m;
	return i;
}

/* Room in the table for one more (at most half full). */
static void slots_grow(struct cands *cs)
{
	size_t old = cs->nslots;
	struct slot *os = cs->slots;

	if (2 * (cs->nused + 1) <= cs->nslots)
		return;
	cs->nslots = old ? old * 2 : 64;
	while (2 * (cs->nused + 1) > cs->nslots)
		cs->nslots *= 2;
	cs->slots = mg_xcalloc(cs->nslots, sizeof(*cs->slots));
	for (size_t i = 0; i < old; i++) {
		if (os[i].at) {
			size_t j = os[i].hash & (cs->nslots - 1);
			while (cs->slots[j].at)
				j = (j + 1) & (cs->nslots - 1);
			cs->slots[j] = os[i];
		}
	}
	free(os);
}

static struct cand *cand_add(struct cands *cs)
{
	MG_GROW(cs->v, cs->cap, cs->n + 1);
	memset(&cs->v[cs->n], 0, sizeof(struct cand));
	return &cs->v[cs->n++];
}

/* Strip a pop-style dialect suffix (".postgres") from stem (*len bytes)
 * in place; return its rank for the wanted dialect: 2 match, 1 no suffix,
 * 0 other dialect. */
static int strip_dialect(char *stem, size_t *len, const char *dialect)
{
	static const struct { const char *suf, *dialect; } tab[] = {
		{ ".postgres", "postgres" }, { ".postgresql", "postgres" },
		{ ".pg", "postgres" }, { ".sqlite3", "sqlite" },
		{ ".sqlite", "sqlite" }, { ".mysql", "mysql" },
		{ ".cockroach", "cockroach" },
	};
	const char *dot = memrchr(stem, '.', *len);

	/* every suffix starts with the last dot */
	if (!dot)
		return 1;
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!strcmp(dot, tab[i].suf)) {
			*len = (size_t)(dot - stem);
			stem[*len] = '\0';
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

/* A second file for the same slot of candidate c. */
static int duplicate_file(struct cands *cs, const struct cand *c,
			  const char *slot, const char *fname, struct mg_err *err)
{
	char *p = mg_fs_join(cs->dir, fname);

	mg_err_set(err, MG_EINPUT, "duplicate-version",
		   "duplicate migration file for version '%s': '%s'",
		   c->version, slot);
	mg_err_at(err, p, 0, 0);
	free(p);
	return MG_EINPUT;
}

/* A regular file in the top directory, default grammar. */
static int classify_file(struct cands *cs, const struct ent *f,
			 const char *dialect, struct mg_err *err)
{
	const char *fname = f->name, *nm;
	char stem[256];
	size_t sl, voff, vlen, h, slot;
	int direction = 0, rank; /* 1 up, -1 down, 0 sections */
	bool no_tx = false;
	enum mg_layout layout;
	struct cand *c;
	const char *version, *name, **pathp;

	if (ENDS(fname, f->len, ".up.sql")) {
		direction = 1;
		sl = f->len - 7;
	} else if (ENDS(fname, f->len, ".down.sql")) {
		direction = -1;
		sl = f->len - 9;
	} else {
		sl = f->len - 4;
	}
	/* a name from readdir has at most 255 bytes */
	memcpy(stem, fname, sl);
	stem[sl] = '\0';
	layout = direction ? MG_LAYOUT_PAIRS : MG_LAYOUT_SECTIONS;
	if (ENDS(stem, sl, ".no-transaction") || ENDS(stem, sl, ".autocommit")) {
		no_tx = true;
		sl = (size_t)(strrchr(stem, '.') - stem);
		stem[sl] = '\0';
	}
	rank = strip_dialect(stem, &sl, dialect);
	if (!split_name(stem, &voff, &vlen, &nm)) {
		bad_name(err, cs->dir, fname, "file name does not start with a version");
		return NO_LAYOUT;
	}
	if (rank == 0)
		return 0;
	version = str_dup(cs->set, stem + voff, vlen);
	name = str_dup(cs->set, nm, sl - (size_t)(nm - stem));
	h = cand_hash(version, vlen, name, layout);
	slots_grow(cs);
	slot = slot_of(cs, h, version, name, layout);
	c = cs->slots[slot].at ? &cs->v[cs->slots[slot].at - 1] : NULL;
	if (!c || c->dialect_rank != rank) {
		c = cand_add(cs);
		c->version = version;
		c->name = name;
		c->layout = layout;
		c->dialect_rank = rank;
		c->label = fname;
		if (!cs->slots[slot].at) {
			cs->slots[slot].hash = h;
			cs->slots[slot].at = cs->n;
			cs->nused++;
		}
	}
	pathp = direction < 0 ? &c->down_path : &c->up_path;
	if (*pathp)
		return duplicate_file(cs, c, *pathp, fname, err);
	*pathp = join(cs, fname, f->len);
	if (direction >= 0)
		c->label = fname;
	if (no_tx)
		c->no_tx = true;
	return 0;
}

static int classify_subdir(struct cands *cs, const struct ent *e, struct mg_err *err)
{
	const char *dname = e->name, *dir = cs->dir;
	const char *sub = join(cs, dname, e->len);
	char *p_up = mg_fs_join(sub, "up.sql"), *p_down = mg_fs_join(sub, "down.sql");
	char *p_upg = mg_fs_join(sub, "upgrade.sql");
	char *p_dng = mg_fs_join(sub, "downgrade.sql");
	struct mg_migset *set = cs->set;
	struct cand *c;
	int rc = 0;

	if (mg_fs_is_file(p_up) || mg_fs_is_file(p_down)) {
		size_t voff, vlen;
		const char *nm;
		if (!split_name(dname, &voff, &vlen, &nm)) {
			bad_name(err, dir, dname,
				 "directory name does not start with a version");
			rc = NO_LAYOUT;
			goto out;
		}
		c = cand_add(cs);
		c->version = str_dup(set, dname + voff, vlen);
		c->name = str_dup(set, nm, strlen(nm));
		c->layout = MG_LAYOUT_DIRS;
		c->label = dname;
		c->dialect_rank = 1;
		if (mg_fs_is_file(p_up))
			c->up_path = str_dup(set, p_up, strlen(p_up));
		if (mg_fs_is_file(p_down))
			c->down_path = str_dup(set, p_down, strlen(p_down));
		{
			char *meta = mg_fs_join(sub, "metadata.toml");
			c->meta_path = str_dup(set, meta, strlen(meta));
			free(meta);
		}
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
		c->version = str_dup(set, vs + skip, n);
		c->name = dname;
		c->layout = MG_LAYOUT_RELEASES;
		c->label = dname;
		c->dialect_rank = 1;
		if (mg_fs_is_file(p_upg))
			c->up_path = str_dup(set, p_upg, strlen(p_upg));
		if (mg_fs_is_file(p_dng))
			c->down_path = str_dup(set, p_dng, strlen(p_dng));
		{
			char *readme = mg_fs_join(sub, "README.md");
			c->readme_path = str_dup(set, readme, strlen(readme));
			free(readme);
		}
	} else {
		bad_name(err, dir, dname,
			 "directory holds neither up.sql/down.sql nor "
			 "upgrade.sql/downgrade.sql");
		rc = NO_LAYOUT;
	}
out:
	free(p_up);
	free(p_down);
	free(p_upg);
	free(p_dng);
	return rc;
}

static int classify_pattern(struct cands *cs, const struct ent *f, pcre2_code *re,
			    pcre2_match_data *md, struct mg_err *err)
{
	const char *fname = f->name, *dir = cs->dir;
	int n = pcre2_match(re, (PCRE2_SPTR)fname, PCRE2_ZERO_TERMINATED, 0, 0, md, NULL);
	PCRE2_UCHAR *v = NULL, *nm = NULL, *dir_s = NULL;
	PCRE2_SIZE l;
	int direction = 0;
	struct cand *c;
	const char **slot;

	if (n < 0) {
		if (!ENDS(fname, f->len, ".sql"))
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
		c->version = str_dup(cs->set, (const char *)v, strlen((const char *)v));
		c->name = nm ? str_dup(cs->set, (const char *)nm, strlen((const char *)nm)) : "";
		c->label = fname;
		c->layout = MG_LAYOUT_PATTERN;
		c->dialect_rank = 1;
	}
	pcre2_substring_free(v);
	pcre2_substring_free(nm);
	pcre2_substring_free(dir_s);
	if (!direction) {
		c->up_path = join(cs, fname, f->len);
		c->dialect_rank = 3; /* sectioned file */
		return 0;
	}
	slot = direction < 0 ? &c->down_path : &c->up_path;
	if (*slot)
		return duplicate_file(cs, c, *slot, fname, err);
	*slot = join(cs, fname, f->len);
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
	int rc = list_dir(set, dir, &names, &n, err);
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;

	if (rc)
		return rc;
	cs->set = set;
	cs->dir = dir;
	cs->dirlen = strlen(dir);
	/* about one candidate per name: no regrowing on the way */
	cs->cap = n + 1;
	cs->v = mg_xmalloc(cs->cap * sizeof(*cs->v));
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
			free(names);
			return MG_ECONFIG;
		}
		if (pcre2_substring_number_from_name(re, (PCRE2_SPTR) "version") < 0) {
			mg_err_set(err, MG_ECONFIG, "bad-filename-pattern",
				   "filename_pattern has no named group 'version'");
			mg_err_hint(err, "example: ^(?<version>\\d+)_(?<name>.+)\\."
					 "(?<direction>up|down)\\.sql$");
			pcre2_code_free(re);
			free(names);
			return MG_ECONFIG;
		}
		md = pcre2_match_data_create_from_pattern(re, NULL);
	}
	for (size_t i = 0; i < n && !rc; i++) {
		const struct ent *e = &names[i];
		unsigned char t = e->type;
		struct stat st;
		/* readdir's d_type saves a stat per file: a regular file is
		 * read (and fstat'ed) later anyway, and a file that is not a
		 * migration is never looked at. Symbolic links and file
		 * systems that do not fill d_type take the stat. */
		if (t != DT_REG && t != DT_DIR) {
			char *p = mg_fs_join(dir, e->name);
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
				rc = classify_subdir(cs, e, err);
		} else if (re) {
			rc = classify_pattern(cs, e, re, md, err);
		} else if (ENDS(e->name, e->len, ".sql")) {
			/* anything else is never a migration: skipped quietly */
			rc = classify_file(cs, e, opts ? opts->dialect : NULL, err);
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
	free(names);
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
static int check_cands(struct cands *cs, enum mg_layout *layout, struct mg_err *err)
{
	size_t i, w = 0;
	bool strict = true; /* versions strictly increasing: no two the same */

	/* names come sorted, and that is usually version order already */
	for (i = 1; i < cs->n; i++) {
		int c = mg_version_cmp(cs->v[i - 1].version, cs->v[i].version);
		if (c < 0)
			continue;
		strict = false;
		if (c > 0 || cs->v[i].dialect_rank > cs->v[i - 1].dialect_rank)
			break;
	}
	if (i < cs->n)
		qsort(cs->v, cs->n, sizeof(cs->v[0]), cmp_cand);
	for (i = 0; !strict && i < cs->n; i++) {
		if (w && !mg_version_cmp(cs->v[w - 1].version, cs->v[i].version) &&
		    cs->v[w - 1].dialect_rank == 2 && cs->v[i].dialect_rank == 1)
			continue;
		cs->v[w++] = cs->v[i];
	}
	if (!strict)
		cs->n = w;
	*layout = MG_LAYOUT_NONE;
	for (i = 0; i < cs->n; i++) {
		struct cand *c = &cs->v[i];
		if (!strict && i && !mg_version_cmp(cs->v[i - 1].version, c->version)) {
			const char *a = cs->v[i - 1].up_path ? cs->v[i - 1].up_path : cs->v[i - 1].down_path;
			const char *b = c->up_path ? c->up_path : c->down_path;
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
	struct mg_source *src[2];       /* in set->source_block, or NULL */
	size_t src_at;                  /* where this job's sources go there */
	/* with a cache only: */
	long hit[2];                    /* cache handle, or -1: read */
	struct mg_sumcache_key *key;    /* owned; [2]: the stat of the files
					   read (NULL when none was) */
	bool text_no_tx[2];             /* whole layouts: no_tx from the text */
	int rc;
	struct mg_err *err;             /* owned; when rc */
};

struct loader {
	struct mg_migset *set;
	struct cands *cs;
	struct job *jobs;
	bool sums;
	const struct mg_sumcache *cache; /* NULL: none (or no checksums) */
	size_t ncached;                  /* its entries */
	int64_t now_ns;
	int dirfd;                       /* the set's directory, or -1 */
	size_t reloff;                   /* paths relative to the directory
					    start here (see join) */
};

/* How a candidate's files are cached: one sectioned file, or whole
 * scripts. */
static enum mg_sumcache_mode cand_mode(const struct cand *c)
{
	return c->layout == MG_LAYOUT_SECTIONS ||
	       (c->layout == MG_LAYOUT_PATTERN && c->dialect_rank == 3 && !c->down_path)
		       ? MG_SUMCACHE_SECTIONS : MG_SUMCACHE_WHOLE;
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

/* Where file k of candidate i should be among the cache's entries, which
 * are sorted by path: an unchanged directory has as many entries per
 * candidate as files, and a down file sorts before its up file
 * (x.down.sql, x.up.sql; down.sql, up.sql; downgrade.sql, upgrade.sql). */
static long guess_entry(const struct loader *ld, size_t i, int k)
{
	size_t per = ld->cs->n ? ld->ncached / ld->cs->n : 0;

	if (per <= 1)
		return (long)i;
	return (long)(2 * i + (k ? 0 : 1));
}

/* File k of job i at path: its cache entry (*hit true, *e filled; the
 * source has no text and borrows path) or its text. MG_EINPUT when it
 * cannot be read, as ever. */
static int read_file(struct loader *ld, size_t i, int k, const char *path,
		     enum mg_sumcache_mode mode, bool *hit,
		     struct mg_sumcache_entry *e, struct mg_err *err)
{
	struct job *j = &ld->jobs[i];
	struct mg_source *s = &ld->set->source_block[j->src_at + (size_t)k];
	struct mg_sumcache_key key;
	struct stat st;
	char *text;
	size_t len;

	*hit = false;
	j->hit[k] = -1;
	if (ld->cache) {
		const char *rel = path + ld->reloff;
		long h = mg_sumcache_find_near(ld->cache, rel, guess_entry(ld, i, k));
		/* relative to the open directory: one name looked up, not
		 * the directory's path again for each of 10,000 files */
		if (h >= 0 &&
		    (ld->dirfd >= 0 ? fstatat(ld->dirfd, rel, &st, 0) : stat(path, &st)) == 0) {
			mg_sumcache_key_of(&key, &st);
			h = mg_sumcache_lookup(ld->cache, h, &key, mode, ld->now_ns, e);
			if (h >= 0) {
				memset(s, 0, sizeof(*s));
				s->path = (char *)path;
				j->src[k] = s;
				j->hit[k] = h;
				*hit = true;
				return 0;
			}
		}
	}
	/* the stat that keys the cache is taken on the open file before it
	 * is read: a change after it shows in ctime next time */
	if (mg_fs_read_stat(path, &text, &len, ld->cache ? &st : NULL, err) ||
	    mg_source_adopt(s, path, text, len, err))
		return MG_EINPUT;
	if (ld->cache) {
		if (!j->key)
			j->key = mg_xcalloc(2, sizeof(*j->key));
		mg_sumcache_key_of(&j->key[k], &st);
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
	const struct cand *c = &ld->cs->v[i];
	struct job *j = &ld->jobs[i];
	struct mg_migration *m = &ld->set->items[i];
	struct mg_err err = MG_ERR_INIT;
	struct mg_sumcache_entry e;
	bool hit;
	int rc = 0;

	/* the candidate's strings are the set's: the migration takes them */
	m->version = (char *)c->version;
	m->name = (char *)c->name;
	m->label = (char *)c->label;
	if (cand_mode(c) == MG_SUMCACHE_SECTIONS) {
		if ((rc = read_file(ld, i, 0, c->up_path, MG_SUMCACHE_SECTIONS, &hit,
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
		for (int k = 0; k < 2 && !rc; k++) {
			const char *path = k ? c->down_path : c->up_path;
			struct mg_script *sc = k ? &m->down : &m->up;
			if (!path)
				break;
			if ((rc = read_file(ld, i, k, path, MG_SUMCACHE_WHOLE, &hit, &e,
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

/* The cache entry of file k of freshly read candidate c (item m). */
static void fresh_entry(const struct cand *c, const struct mg_migration *m,
			const struct job *j, int k, struct mg_sumcache_entry *e)
{
	memset(e, 0, sizeof(*e));
	if (cand_mode(c) == MG_SUMCACHE_SECTIONS) {
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
	struct loader ld = { set, cs, NULL, sums, sums ? cache : NULL, 0, 0, -1, 0 };
	size_t nfiles = 0;
	int rc = 0;

	if (!cs->n)
		return 0;
	ld.ncached = mg_sumcache_count(ld.cache);
	ld.now_ns = mg_sumcache_now_ns();
	ld.dirfd = ld.cache ? open(set->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	ld.reloff = cs->dirlen + (cs->dirlen && set->dir[cs->dirlen - 1] == '/' ? 0 : 1);
	ld.jobs = mg_xcalloc(cs->n, sizeof(*ld.jobs));
	set->items = mg_xcalloc(cs->n + 1, sizeof(*set->items));
	set->cap = cs->n + 1;
	set->n = cs->n;
	/* one source per file (a sectioned file is one) */
	for (size_t i = 0; i < cs->n; i++) {
		const struct cand *c = &cs->v[i];
		ld.jobs[i].src_at = nfiles;
		nfiles += cand_mode(c) == MG_SUMCACHE_SECTIONS ? 1 : !!c->up_path + !!c->down_path;
	}
	set->source_block = mg_xmalloc((nfiles + 1) * sizeof(*set->source_block));
	mg_workers_run(cs->n, 64, load_one, &ld);
	set->sources = mg_xmalloc((nfiles + 1) * sizeof(*set->sources));
	set->srccap = nfiles + 1;
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
	/* every file of the set is kept in the cache: hits by handle, the
	 * ones read (all other sources, with a cache) as new entries */
	for (size_t i = 0; ld.cache && !rc && i < cs->n; i++) {
		struct job *j = &ld.jobs[i];
		for (int k = 0; k < 2; k++) {
			struct mg_sumcache_entry e;
			if (!j->src[k])
				continue;
			if (j->hit[k] >= 0) {
				mg_sumcache_keep_hit(cache, j->hit[k]);
			} else {
				fresh_entry(&cs->v[i], &set->items[i], j, k, &e);
				mg_sumcache_keep_new(cache, j->src[k]->path + ld.reloff,
						     &j->key[k], &e);
			}
		}
	}
	for (size_t i = 0; i < cs->n; i++)
		free(ld.jobs[i].key);
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
		rc = check_cands(&cs, &set->layout, err);
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
		free(m->description);
		mg_directives_release(&m->up.dirs);
		mg_directives_release(&m->down.dirs);
	}
	free(set->items);
	/* a source without text (a cache hit) owns nothing: its path is one
	 * of the set's strings */
	for (size_t i = 0; i < set->nsources; i++)
		if (set->sources[i]->text)
			mg_source_release(set->sources[i]);
	free(set->sources);
	free(set->source_block);
	for (size_t i = 0; i < set->nunmatched; i++) {
		free(set->unmatched[i].path);
		free(set->unmatched[i].why);
	}
	free(set->unmatched);
	strings_release(set);
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
