/* baseline: record and match today's findings; see baseline.h. */
#include "baseline.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/xalloc.h"
#include "../sql/directive.h"

void mg_baseline_norm_path(const char *path, char *out, size_t size)
{
	size_t o = 0;
	const char *p = path ? path : "";

	if (!size)
		return;
	while (p[0] == '.' && p[1] == '/') {
		p += 2;
		while (*p == '/')
			p++;
	}
	for (; *p && o + 1 < size; p++) {
		if (*p == '/' && o && out[o - 1] == '/')
			continue;
		if (*p == '/' && p[1] == '.' && p[2] == '/') {
			p++; /* "/./" -> "/" */
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
}

/* FNV-1a, 64 bits: fast, and plenty for telling statements apart in a
 * baseline (not a security boundary). */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= FNV_PRIME;
	}
	return h;
}

void mg_baseline_text_digest(const char *text, size_t off, size_t end,
			     unsigned char out[32])
{
	uint64_t h = FNV_OFFSET, h2 = FNV_OFFSET ^ 0x5bd1e995ULL;
	bool space = false, any = false;
	size_t i = off;

	while (text && i < end) {
		char c = text[i];
		size_t j;
		if (isspace((unsigned char)c)) {
			space = true;
			i++;
			continue;
		}
		if ((c == '-' && i + 1 < end && text[i + 1] == '-') ||
		    (c == '/' && i + 1 < end && text[i + 1] == '*')) {
			i = mg_sql_skip_element(text, i, end);
			space = true;
			continue;
		}
		if (space && any) {
			h = fnv(h, " ", 1);
			h2 = fnv(h2, " ", 1);
		}
		space = false;
		any = true;
		if (c == '\'' || c == '"' || c == '$') {
			j = mg_sql_skip_element(text, i, end);
			if (j > end)
				j = end;
		} else {
			/* a run of ordinary characters at once */
			j = i + 1;
			while (j < end && !isspace((unsigned char)text[j]) &&
			       text[j] != '\'' && text[j] != '"' && text[j] != '$' &&
			       !(text[j] == '-' && j + 1 < end && text[j + 1] == '-') &&
			       !(text[j] == '/' && j + 1 < end && text[j + 1] == '*'))
				j++;
		}
		h = fnv(h, text + i, j - i);
		h2 = fnv(h2, text + i, j - i);
		i = j;
	}
	memset(out, 0, 32);
	for (int k = 0; k < 8; k++) {
		out[k] = (unsigned char)(h >> (8 * k));
		out[8 + k] = (unsigned char)(h2 >> (8 * k));
	}
}

void mg_baseline_fingerprint_digest(const char *rule, const unsigned char digest[32],
				    char out[17])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = fnv(FNV_OFFSET, rule, strlen(rule));

	h = fnv(h, "\n", 1);
	h = fnv(h, (const char *)digest, 16);
	/* final avalanche (splitmix64) so similar inputs differ everywhere */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	for (int k = 0; k < 16; k++)
		out[k] = hex[(h >> (60 - 4 * k)) & 15];
	out[16] = '\0';
}

void mg_baseline_fingerprint(const char *rule, const char *text, size_t off,
			     size_t end, char out[17])
{
	unsigned char d[32];

	mg_baseline_text_digest(text, off, end, d);
	mg_baseline_fingerprint_digest(rule, d, out);
}

static void add_entry(struct mg_baseline *b, const char *rule, const char *file,
		      const char *fp, size_t count)
{
	struct mg_baseline_entry *e;
	char norm[4096];

	mg_baseline_norm_path(file, norm, sizeof(norm));
	MG_GROW(b->v, b->cap, b->n + 1);
	e = &b->v[b->n++];
	e->rule = mg_xstrdup(rule);
	e->file = mg_xstrdup(norm);
	snprintf(e->fingerprint, sizeof(e->fingerprint), "%s", fp);
	e->count = count;
}

static int cmp_entries(const void *a, const void *b)
{
	const struct mg_baseline_entry *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (!c)
		c = strcmp(x->rule, y->rule);
	if (!c)
		c = strcmp(x->fingerprint, y->fingerprint);
	return c;
}

/* Sort and merge duplicates (adding their counts). */
static void normalise(struct mg_baseline *b)
{
	size_t w = 0;

	if (!b->n)
		return;
	qsort(b->v, b->n, sizeof(b->v[0]), cmp_entries);
	for (size_t i = 0; i < b->n; i++) {
		if (w && !cmp_entries(&b->v[w - 1], &b->v[i])) {
			b->v[w - 1].count += b->v[i].count;
			free(b->v[i].rule);
			free(b->v[i].file);
			continue;
		}
		b->v[w++] = b->v[i];
	}
	b->n = w;
}

int mg_baseline_load(struct mg_baseline *b, const char *path, struct mg_err *err)
{
	char *text;
	size_t len;
	cJSON *root, *items, *it;
	int rc;

	memset(b, 0, sizeof(*b));
	rc = mg_fs_read(path, &text, &len, err);
	if (rc)
		return rc;
	root = cJSON_Parse(text);
	free(text);
	items = cJSON_GetObjectItemCaseSensitive(root, "findings");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(items)) {
		cJSON_Delete(root);
		mg_err_set(err, MG_EINPUT, "bad-baseline",
			   "'%s' is not a migrate lint baseline", path);
		mg_err_hint(err, "write one with 'migrate lint --write-baseline %s'",
			    path);
		return MG_EINPUT;
	}
	cJSON_ArrayForEach(it, items) {
		const cJSON *r = cJSON_GetObjectItemCaseSensitive(it, "rule");
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(it, "file");
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "fingerprint");
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "count");
		double cnt = cJSON_IsNumber(c) ? c->valuedouble : 1;
		if (!cJSON_IsString(r) || !cJSON_IsString(f) || !cJSON_IsString(p))
			continue;
		if (cnt < 1 || cnt > 1e9)
			cnt = 1;
		add_entry(b, r->valuestring, f->valuestring, p->valuestring,
			  (size_t)cnt);
	}
	cJSON_Delete(root);
	normalise(b);
	return 0;
}

void mg_baseline_release(struct mg_baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->v[i].rule);
		free(b->v[i].file);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}

bool mg_baseline_take(struct mg_baseline *b, const struct mg_diag *d)
{
	struct mg_baseline_entry key, *e;
	char norm[4096];

	mg_baseline_norm_path(d->file, norm, sizeof(norm));
	key.file = norm;
	key.rule = (char *)d->rule;
	snprintf(key.fingerprint, sizeof(key.fingerprint), "%s", d->fingerprint);
	if (!b->n)
		return false;
	e = bsearch(&key, b->v, b->n, sizeof(b->v[0]), cmp_entries);
	if (!e || !e->count)
		return false;
	e->count--;
	return true;
}

int mg_baseline_write(const char *path, const struct mg_diag *d, size_t n,
		      struct mg_err *err)
{
	struct mg_baseline b = { 0 };
	struct mg_buf out = MG_BUF_INIT;
	int rc;

	for (size_t i = 0; i < n; i++)
		add_entry(&b, d[i].rule, d[i].file, d[i].fingerprint, 1);
	normalise(&b);
	mg_buf_adds(&out, "{\n  \"version\": 1,\n  \"tool\": \"migrate lint\",\n"
			  "  \"findings\": [");
	for (size_t i = 0; i < b.n; i++) {
		mg_buf_adds(&out, i ? ",\n    {\"rule\": \"" : "\n    {\"rule\": \"");
		mg_buf_add_json_str(&out, b.v[i].rule);
		mg_buf_adds(&out, "\", \"file\": \"");
		mg_buf_add_json_str(&out, b.v[i].file);
		mg_buf_addf(&out, "\", \"fingerprint\": \"%s\", \"count\": %zu}",
			    b.v[i].fingerprint, b.v[i].count);
	}
	mg_buf_adds(&out, b.n ? "\n  ]\n}\n" : "]\n}\n");
	rc = mg_fs_write(path, out.buf, out.len, err);
	mg_buf_release(&out);
	mg_baseline_release(&b);
	return rc;
}
