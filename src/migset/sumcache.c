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

struct rec {
	const char *rel;        /* into data, or owned (fresh) */
	struct mg_sumcache_key key;
	unsigned char mode, fup, fdown;
	unsigned char up[32], down[32];
	const char *desc;       /* into data, or owned (fresh); NULL = none */
};

struct mg_sumcache {
	char *file;             /* the cache file */
	char *dir;              /* the migrations directory's real path */
	unsigned char *data;    /* the file read; old[] strings point into it */
	struct rec *old;        /* sorted by rel */
	size_t nold;
	bool *kept_old;         /* per old entry */
	struct rec *fresh;      /* read this run (owned strings) */
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

/* Parse c->data (len bytes); false (and no entries) when anything is off. */
static bool parse(struct mg_sumcache *c, size_t len)
{
	struct cur cu = { c->data, len, false };
	const char *ver, *dir;
	uint64_t sum;
	uint32_t n;

	if (len < sizeof(MAGIC) + 8 || memcmp(c->data, MAGIC, sizeof(MAGIC)))
		return false;
	memcpy(&sum, c->data + len - 8, 8);
	if (sum != fold(c->data, len - 8))
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
	c->old = mg_xcalloc((size_t)n + 1, sizeof(*c->old));
	for (uint32_t i = 0; i < n && !cu.bad; i++) {
		struct rec *r = &c->old[i];
		const unsigned char *p;
		r->rel = get_str(&cu);
		if (!r->rel || !*r->rel || (i && strcmp(c->old[i - 1].rel, r->rel) >= 0)) {
			cu.bad = true;
			break;
		}
		r->key.size = get_u64(&cu);
		r->key.mtime_ns = (int64_t)get_u64(&cu);
		r->key.ctime_ns = (int64_t)get_u64(&cu);
		r->key.ino = get_u64(&cu);
		r->key.dev = get_u64(&cu);
		if (!(p = take(&cu, 4 + 64)))
			break;
		r->mode = p[0];
		r->fup = p[1];
		r->fdown = p[2];
		memcpy(r->up, p + 4, 32);
		memcpy(r->down, p + 36, 32);
		if ((r->mode != MG_SUMCACHE_SECTIONS && r->mode != MG_SUMCACHE_WHOLE) ||
		    p[3] || !(r->fup & F_PRESENT) || !good_flags(r->fup) ||
		    !good_flags(r->fdown) ||
		    (r->mode == MG_SUMCACHE_WHOLE && r->fdown))
			cu.bad = true;
		r->desc = get_str(&cu);
	}
	if (cu.bad || cu.left) {
		free(c->old);
		c->old = NULL;
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
	struct stat st;
	size_t len = 0;

	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || (size_t)st.st_size > MAX_CACHE) {
		close(fd);
		return;
	}
	c->data = mg_xmalloc((size_t)st.st_size + 1);
	while (len < (size_t)st.st_size) {
		ssize_t r = read(fd, c->data + len, (size_t)st.st_size - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
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

static int cmp_rel(const void *k, const void *r)
{
	return strcmp(k, ((const struct rec *)r)->rel);
}

long mg_sumcache_find(const struct mg_sumcache *c, const char *rel)
{
	const struct rec *r;

	if (!c || !c->nold)
		return -1;
	r = bsearch(rel, c->old, c->nold, sizeof(*c->old), cmp_rel);
	return r ? (long)(r - c->old) : -1;
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

long mg_sumcache_lookup(const struct mg_sumcache *c, long handle,
			const struct mg_sumcache_key *key,
			enum mg_sumcache_mode mode, int64_t now_ns,
			struct mg_sumcache_entry *out)
{
	const struct rec *r = c && handle >= 0 && (size_t)handle < c->nold
				      ? &c->old[handle] : NULL;

	if (!r || r->mode != mode || racy(key, now_ns) ||
	    r->key.size != key->size || r->key.mtime_ns != key->mtime_ns ||
	    r->key.ctime_ns != key->ctime_ns || r->key.ino != key->ino ||
	    r->key.dev != key->dev)
		return -1;
	out->mode = mode;
	script_out(&out->up, r->fup, r->up);
	script_out(&out->down, r->fdown, r->down);
	out->description = r->desc;
	return (long)(r - c->old);
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

static int cmp_recp(const void *a, const void *b)
{
	return strcmp((*(const struct rec *const *)a)->rel,
		      (*(const struct rec *const *)b)->rel);
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

/* Write buf to c->file through a temp file in the same directory. */
static int write_atomically(const struct mg_sumcache *c, const struct mg_buf *b)
{
	const char *slash = strrchr(c->file, '/');
	char *tmp = mg_xasprintf("%.*s/.tmp-XXXXXX",
				 slash ? (int)(slash - c->file) : 1,
				 slash ? c->file : ".");
	int fd = mkstemp(tmp), rc = -1;
	size_t off = 0;

	if (fd < 0) {
		free(tmp);
		return -1;
	}
	while (off < b->len) {
		ssize_t k = write(fd, b->buf + off, b->len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	/* mkstemp makes it 0600 */
	if (close(fd) == 0 && off == b->len && rename(tmp, c->file) == 0)
		rc = 0;
	else
		unlink(tmp);
	free(tmp);
	return rc;
}

int mg_sumcache_save(struct mg_sumcache *c, int64_t now_ns)
{
	struct mg_buf b = MG_BUF_INIT;
	const struct rec **v;
	size_t n = 0, w = 0;
	bool changed = false;
	uint64_t sum;
	int rc;

	if (!c)
		return -1;
	v = mg_xcalloc(c->nold + c->nfresh + 1, sizeof(*v));
	for (size_t i = 0; i < c->nold; i++) {
		if (c->kept_old[i] && !racy(&c->old[i].key, now_ns))
			v[n++] = &c->old[i];
		else
			changed = true;
	}
	for (size_t i = 0; i < c->nfresh; i++) {
		if (!racy(&c->fresh[i].key, now_ns)) {
			v[n++] = &c->fresh[i];
			changed = true;
		}
	}
	if (!changed || n > UINT32_MAX) {
		free(v);
		return changed ? -1 : 0;
	}
	qsort(v, n, sizeof(*v), cmp_recp);
	for (size_t i = 0; i < n; i++) /* one entry per path */
		if (!w || strcmp(v[w - 1]->rel, v[i]->rel))
			v[w++] = v[i];
	n = w;
	mg_buf_add(&b, MAGIC, sizeof(MAGIC));
	put_u32(&b, FORMAT);
	put_str(&b, MIGRATE_VERSION);
	put_str(&b, c->dir);
	put_u64(&b, (uint64_t)now_ns);
	put_u32(&b, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		put_rec(&b, v[i]);
	sum = fold((const unsigned char *)b.buf, b.len);
	put_u64(&b, sum);
	rc = write_atomically(c, &b);
	mg_buf_release(&b);
	free(v);
	return rc;
}

void mg_sumcache_free(struct mg_sumcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfresh; i++) {
		free((char *)c->fresh[i].rel);
		free((char *)c->fresh[i].desc);
	}
	free(c->fresh);
	free(c->old);
	free(c->kept_old);
	free(c->data);
	free(c->file);
	free(c->dir);
	free(c);
}
