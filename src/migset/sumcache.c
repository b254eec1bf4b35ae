/* sumcache: per-file results of loading, keyed by stat; see sumcache.h. */
#include "sumcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/sha256.h"
#include "../core/xalloc.h"

#ifndef MIGRATE_VERSION
#define MIGRATE_VERSION "dev"
#endif

/* Bump when what an entry means changes (checksum rules, fields). */
#define FORMAT 1
static const char MAGIC[8] = { 'M', 'G', 'S', 'U', 'M', 'C', '\r', '\n' };
/* A cache larger than this is not ours to read. */
#define MAX_CACHE ((size_t)256 << 20)

/* script flags in the file */
enum { F_PRESENT = 1, F_NO_TX = 2, F_EMPTY = 4 };

/* The fixed part of an entry, after its path: size, mtime_ns, ctime_ns,
 * ino, dev (u64 each), mode, up flags, down flags, a zero byte, then the
 * up and down SHA-256 digests. */
#define FIXED (5 * 8 + 4 + 32 + 32)

/* An entry made this run (keep_new). Entries read from the file are not
 * copied into these: they are read in place (at[]). */
struct rec {
	char *rel;              /* owned */
	struct mg_sumcache_key key;
	unsigned char mode, fup, fdown;
	unsigned char up[32], down[32];
	char *desc;             /* owned; NULL = none */
};

struct mg_sumcache {
	char *file;             /* the cache file */
	char *dir;              /* the migrations directory's real path */
	char *data;             /* the file read; old entries live in it */
	uint32_t *at;           /* offset in data of each old entry's path,
				   sorted by path */
	size_t nold;
	unsigned char *kept_old; /* per old entry */
	struct rec *fresh;      /* read this run */
	size_t nfresh, capfresh;
};

int64_t mg_sumcache_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* MIGRATE_NO_CACHE set (not "" or "0") turns caching off */
static bool disabled_by_env(void)
{
	const char *e = getenv("MIGRATE_NO_CACHE");
	return e && *e && strcmp(e, "0");
}

void mg_sumcache_key_of(struct mg_sumcache_key *k, const struct stat *st)
{
	k->size = (uint64_t)st->st_size;
	k->ino = (uint64_t)st->st_ino;
	k->dev = (uint64_t)st->st_dev;
	k->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	k->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

/* Detects a damaged file (a torn or truncated write, stray bytes); the
 * owner and mode checks are what keep others from writing one. */
static uint64_t fold(const unsigned char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	h ^= (uint64_t)n;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 31);
}

static int nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool from_hex(const char *hex, unsigned char b[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = nibble(hex[2 * i]), lo = hi < 0 ? -1 : nibble(hex[2 * i + 1]);
		if (lo < 0)
			return false;
		b[i] = (unsigned char)(hi << 4 | lo);
	}
	return hex[64] == '\0';
}

/* ---- reading ------------------------------------------------------------ */

struct cur {
	const unsigned char *p;
	size_t left;
	bool bad;
};

static const unsigned char *take(struct cur *c, size_t n)
{
	const unsigned char *r = c->p;

	if (c->bad || c->left < n) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return r;
}

/* The next n bytes into v (zeroes when they are not there). */
static void get(struct cur *c, void *v, size_t n)
{
	const unsigned char *p = take(c, n);

	if (p)
		memcpy(v, p, n);
	else
		memset(v, 0, n);
}

static uint64_t get_u64(struct cur *c)
{
	uint64_t v;

	get(c, &v, sizeof(v));
	return v;
}

static uint32_t get_u32(struct cur *c)
{
	uint32_t v;

	get(c, &v, sizeof(v));
	return v;
}

/* A string stored as length, bytes, NUL: a pointer into the data; NULL
 * for the "none" length (or when bad). */
static const char *get_str(struct cur *c)
{
	uint32_t n = get_u32(c);
	const unsigned char *p;

	if (n == UINT32_MAX || c->bad)
		return NULL;
	if (!(p = take(c, (size_t)n + 1)) || p[n] || memchr(p, '\0', n)) {
		c->bad = true;
		return NULL;
	}
	return (const char *)p;
}

static bool good_flags(unsigned f)
{
	return f < 8 && (f == 0 || (f & F_PRESENT));
}

/* Parse c->data (len bytes): check all of it and note where each entry's
 * path is; false (and no entries) when anything is off. */
static bool parse(struct mg_sumcache *c, size_t len)
{
	const unsigned char *data = (const unsigned char *)c->data;
	struct cur cu = { data, len, false };
	const char *ver, *dir, *prev = NULL;
	uint64_t sum;
	uint32_t n;

	if (len < sizeof(MAGIC) + 8 || memcmp(data, MAGIC, sizeof(MAGIC)))
		return false;
	memcpy(&sum, data + len - 8, 8);
	if (sum != fold(data, len - 8))
		return false;
	cu.left -= 8;
	take(&cu, sizeof(MAGIC));
	if (get_u32(&cu) != FORMAT)
		return false;
	ver = get_str(&cu);
	dir = get_str(&cu);
	if (!ver || !dir || strcmp(ver, MIGRATE_VERSION) || strcmp(dir, c->dir))
		return false;
	get_u64(&cu); /* when it was written */
	n = get_u32(&cu);
	if (cu.bad || n > cu.left / 64)
		return false;
	c->at = mg_xmalloc(((size_t)n + 1) * sizeof(*c->at));
	for (uint32_t i = 0; i < n && !cu.bad; i++) {
		const char *rel = get_str(&cu);
		const unsigned char *p;
		unsigned mode, fup, fdown;
		if (!rel || !*rel || (prev && strcmp(prev, rel) >= 0)) {
			cu.bad = true;
			break;
		}
		c->at[i] = (uint32_t)((const unsigned char *)rel - data);
		prev = rel;
		if (!(p = take(&cu, FIXED)))
			break;
		mode = p[40];
		fup = p[41];
		fdown = p[42];
		if ((mode != MG_SUMCACHE_SECTIONS && mode != MG_SUMCACHE_WHOLE) ||
		    p[43] || !(fup & F_PRESENT) || !good_flags(fup) ||
		    !good_flags(fdown) || (mode == MG_SUMCACHE_WHOLE && fdown))
			cu.bad = true;
		get_str(&cu); /* the description */
	}
	if (cu.bad || cu.left) {
		free(c->at);
		c->at = NULL;
		return false;
	}
	c->nold = n;
	c->kept_old = mg_xcalloc((size_t)n + 1, sizeof(*c->kept_old));
	return true;
}

/* Read the cache file if it is a regular file of ours that only we may
 * write; any problem leaves the cache empty. */
static void read_file(struct mg_sumcache *c)
{
	int fd = open(c->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct mg_err e = MG_ERR_INIT;
	struct stat st;
	size_t len = 0;

	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || (size_t)st.st_size > MAX_CACHE ||
	    mg_fs_read_fd(fd, c->file, &st, &c->data, &len, &e)) {
		mg_err_release(&e);
		close(fd);
		return;
	}
	close(fd);
	if (len != (size_t)st.st_size || !parse(c, len)) {
		free(c->data);
		c->data = NULL;
	}
}

/* $XDG_CACHE_HOME/migrate or $HOME/.cache/migrate, created 0700; NULL when
 * there is none we may use. */
static char *cache_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *base, *d;
	struct stat st;

	if (x && x[0] == '/')
		base = mg_xstrdup(x);
	else if (home && home[0] == '/')
		base = mg_xasprintf("%s/.cache", home);
	else
		return NULL;
	if (mkdir(base, 0700) != 0 && errno != EEXIST) {
		free(base);
		return NULL;
	}
	d = mg_xasprintf("%s/migrate", base);
	free(base);
	if (mkdir(d, 0700) != 0 && errno != EEXIST) {
		free(d);
		return NULL;
	}
	if (lstat(d, &st) || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077)) {
		free(d);
		return NULL;
	}
	return d;
}

struct mg_sumcache *mg_sumcache_open_file(const char *cache_file,
					  const char *dir_realpath)
{
	struct mg_sumcache *c = mg_xcalloc(1, sizeof(*c));

	c->file = mg_xstrdup(cache_file);
	c->dir = mg_xstrdup(dir_realpath);
	read_file(c);
	return c;
}

struct mg_sumcache *mg_sumcache_open(const char *dir)
{
	char *real, *cd, *file, hex[65];
	struct mg_sumcache *c;

	if (disabled_by_env())
		return NULL;
	if (!(real = realpath(dir, NULL)))
		return NULL;
	if (!(cd = cache_dir())) {
		free(real);
		return NULL;
	}
	mg_sha256_hex(real, strlen(real), hex);
	file = mg_xasprintf("%s/sums-%.32s", cd, hex);
	c = mg_sumcache_open_file(file, real);
	free(file);
	free(cd);
	free(real);
	return c;
}

size_t mg_sumcache_count(const struct mg_sumcache *c)
{
	return c ? c->nold : 0;
}

/* The path of old entry i. */
static const char *old_rel(const struct mg_sumcache *c, size_t i)
{
	return c->data + c->at[i];
}

long mg_sumcache_find(const struct mg_sumcache *c, const char *rel)
{
	return mg_sumcache_find_near(c, rel, -1);
}

long mg_sumcache_find_near(const struct mg_sumcache *c, const char *rel, long guess)
{
	size_t lo = 0, hi;

	if (!c || !c->nold)
		return -1;
	hi = c->nold;
	if (guess >= 0 && (size_t)guess < c->nold) {
		/* the guess, else a neighbour of it: a file added or removed
		 * since the cache was written shifts the rest by one */
		size_t g = (size_t)guess;
		int r = strcmp(rel, old_rel(c, g));
		if (!r)
			return (long)g;
		if (r < 0) {
			hi = g;
			if (g > 0 && !(r = strcmp(rel, old_rel(c, g - 1))))
				return (long)(g - 1);
			if (g > 0 && r < 0)
				hi = g - 1;
		} else {
			lo = g + 1;
			if (g + 1 < c->nold && !(r = strcmp(rel, old_rel(c, g + 1))))
				return (long)(g + 1);
			if (g + 1 < c->nold && r > 0)
				lo = g + 2;
		}
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(rel, old_rel(c, mid));
		if (!r)
			return (long)mid;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static bool racy(const struct mg_sumcache_key *k, int64_t now_ns)
{
	return k->mtime_ns > now_ns - MG_SUMCACHE_RACY_NS ||
	       k->ctime_ns > now_ns - MG_SUMCACHE_RACY_NS;
}

static void script_out(struct mg_sumcache_script *s, unsigned f,
		       const unsigned char sum[32])
{
	s->present = f & F_PRESENT;
	s->no_tx = f & F_NO_TX;
	s->empty = f & F_EMPTY;
	if (s->present)
		mg_sha256_digest_hex(sum, s->checksum);
	else
		s->checksum[0] = '\0';
}

/* Old entry i's fixed part (FIXED bytes after its path) and key. */
static const unsigned char *old_fixed(const struct mg_sumcache *c, size_t i,
				      struct mg_sumcache_key *k)
{
	const unsigned char *p = (const unsigned char *)c->data + c->at[i];
	uint32_t n;

	memcpy(&n, p - 4, 4);
	p += (size_t)n + 1;
	memcpy(&k->size, p, 8);
	memcpy(&k->mtime_ns, p + 8, 8);
	memcpy(&k->ctime_ns, p + 16, 8);
	memcpy(&k->ino, p + 24, 8);
	memcpy(&k->dev, p + 32, 8);
	return p;
}

long mg_sumcache_lookup(const struct mg_sumcache *c, long handle,
			const struct mg_sumcache_key *key,
			enum mg_sumcache_mode mode, int64_t now_ns,
			struct mg_sumcache_entry *out)
{
	struct mg_sumcache_key k;
	const unsigned char *p;
	uint32_t dn;

	if (!c || handle < 0 || (size_t)handle >= c->nold)
		return -1;
	p = old_fixed(c, (size_t)handle, &k);
	if (p[40] != mode || racy(key, now_ns) || k.size != key->size ||
	    k.mtime_ns != key->mtime_ns || k.ctime_ns != key->ctime_ns ||
	    k.ino != key->ino || k.dev != key->dev)
		return -1;
	out->mode = mode;
	script_out(&out->up, p[41], p + 44);
	script_out(&out->down, p[42], p + 76);
	memcpy(&dn, p + FIXED, 4);
	out->description = dn == UINT32_MAX ? NULL : (const char *)p + FIXED + 4;
	return handle;
}

void mg_sumcache_keep_hit(struct mg_sumcache *c, long handle)
{
	if (c && handle >= 0 && (size_t)handle < c->nold)
		c->kept_old[handle] = true;
}

static unsigned script_flags(const struct mg_sumcache_script *s)
{
	return s->present ? F_PRESENT | (s->no_tx ? F_NO_TX : 0) |
			    (s->empty ? F_EMPTY : 0) : 0;
}

void mg_sumcache_keep_new(struct mg_sumcache *c, const char *rel,
			  const struct mg_sumcache_key *key,
			  const struct mg_sumcache_entry *e)
{
	struct rec r = { 0 };

	if (!c)
		return;
	r.key = *key;
	r.mode = (unsigned char)e->mode;
	r.fup = (unsigned char)script_flags(&e->up);
	r.fdown = (unsigned char)script_flags(&e->down);
	if (!(r.fup & F_PRESENT) || (r.mode == MG_SUMCACHE_WHOLE && r.fdown) ||
	    !from_hex(e->up.checksum, r.up) ||
	    ((r.fdown & F_PRESENT) && !from_hex(e->down.checksum, r.down)))
		return; /* nothing this cache can hold (no checksums) */
	r.rel = mg_xstrdup(rel);
	r.desc = e->description ? mg_xstrdup(e->description) : NULL;
	MG_GROW(c->fresh, c->capfresh, c->nfresh + 1);
	c->fresh[c->nfresh++] = r;
}

/* ---- writing ------------------------------------------------------------ */

static void put_u64(struct mg_buf *b, uint64_t v)
{
	mg_buf_add(b, &v, 8);
}

static void put_u32(struct mg_buf *b, uint32_t v)
{
	mg_buf_add(b, &v, 4);
}

static void put_str(struct mg_buf *b, const char *s)
{
	size_t n;

	if (!s) {
		put_u32(b, UINT32_MAX);
		return;
	}
	n = strlen(s);
	put_u32(b, (uint32_t)n);
	mg_buf_add(b, s, n + 1);
}

static int cmp_fresh(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->rel, ((const struct rec *)b)->rel);
}

static void put_rec(struct mg_buf *b, const struct rec *r)
{
	unsigned char f[4] = { r->mode, r->fup, r->fdown, 0 };

	put_str(b, r->rel);
	put_u64(b, r->key.size);
	put_u64(b, (uint64_t)r->key.mtime_ns);
	put_u64(b, (uint64_t)r->key.ctime_ns);
	put_u64(b, r->key.ino);
	put_u64(b, r->key.dev);
	mg_buf_add(b, f, 4);
	mg_buf_add(b, r->up, 32);
	mg_buf_add(b, r->down, 32);
	put_str(b, r->desc);
}

/* Old entry i as it is in the file (it was checked when read). */
static void put_old(struct mg_buf *b, const struct mg_sumcache *c, size_t i)
{
	struct mg_sumcache_key k;
	const unsigned char *start = (const unsigned char *)c->data + c->at[i] - 4;
	const unsigned char *p = old_fixed(c, i, &k) + FIXED;
	uint32_t dn;

	memcpy(&dn, p, 4);
	p += 4 + (dn == UINT32_MAX ? 0 : (size_t)dn + 1);
	mg_buf_add(b, start, (size_t)(p - start));
}

/* Old entry i goes into the next save. */
static bool keep_old(const struct mg_sumcache *c, size_t i, int64_t now_ns)
{
	struct mg_sumcache_key k;

	if (!c->kept_old[i])
		return false;
	old_fixed(c, i, &k);
	return !racy(&k, now_ns);
}

int mg_sumcache_save(struct mg_sumcache *c, int64_t now_ns)
{
	struct mg_buf b = MG_BUF_INIT;
	struct mg_err e = MG_ERR_INIT;
	bool changed = false;
	size_t n = 0, i, j, count_at;
	const char *last = NULL;
	uint32_t count = 0;
	uint64_t sum;
	int rc;

	if (!c)
		return -1;
	for (i = 0; i < c->nold; i++) {
		if (keep_old(c, i, now_ns))
			n++;
		else
			changed = true;
	}
	for (i = 0; i < c->nfresh; i++) {
		if (!racy(&c->fresh[i].key, now_ns)) {
			n++;
			changed = true;
		}
	}
	if (!changed || n > UINT32_MAX)
		return changed ? -1 : 0;
	if (c->nfresh > 1)
		qsort(c->fresh, c->nfresh, sizeof(*c->fresh), cmp_fresh);
	mg_buf_add(&b, MAGIC, sizeof(MAGIC));
	put_u32(&b, FORMAT);
	put_str(&b, MIGRATE_VERSION);
	put_str(&b, c->dir);
	put_u64(&b, (uint64_t)now_ns);
	count_at = b.len;
	put_u32(&b, 0); /* the count, known below */
	/* both sorted by path: merged, one entry per path (the old one
	 * first) */
	for (i = 0, j = 0; i < c->nold || j < c->nfresh;) {
		const char *rel;
		bool old;
		if (i < c->nold && !keep_old(c, i, now_ns)) {
			i++;
			continue;
		}
		if (j < c->nfresh && racy(&c->fresh[j].key, now_ns)) {
			j++;
			continue;
		}
		old = i < c->nold &&
		      (j >= c->nfresh || strcmp(old_rel(c, i), c->fresh[j].rel) <= 0);
		rel = old ? old_rel(c, i) : c->fresh[j].rel;
		if (!last || strcmp(last, rel)) {
			if (old)
				put_old(&b, c, i);
			else
				put_rec(&b, &c->fresh[j]);
			count++;
		}
		last = rel;
		if (old)
			i++;
		else
			j++;
	}
	memcpy(b.buf + count_at, &count, 4);
	sum = fold((const unsigned char *)b.buf, b.len);
	put_u64(&b, sum);
	rc = mg_fs_write_private(c->file, b.buf, b.len, &e) ? -1 : 0;
	mg_err_release(&e);
	mg_buf_release(&b);
	return rc;
}

void mg_sumcache_free(struct mg_sumcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfresh; i++) {
		free(c->fresh[i].rel);
		free(c->fresh[i].desc);
	}
	free(c->fresh);
	free(c->at);
	free(c->kept_old);
	free(c->data);
	free(c->file);
	free(c->dir);
	free(c);
}
