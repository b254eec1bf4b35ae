/* baseline: record and match today's findings; see baseline.h. */
#include "baseline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/sha256.h"
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

void mg_baseline_fingerprint(const char *rule, const char *text, size_t off,
			     size_t end, char out[17])
{
	struct mg_sha256 h;
	uint8_t dig[32];
	bool space = false, any = false;
	size_t i = off;
	static const char hex[] = "0123456789abcdef";

	mg_sha256_init(&h);
	mg_sha256_update(&h, rule, strlen(rule));
	mg_sha256_update(&h, "\n", 1);
	while (text && i < end) {
		char c = text[i];
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
		if (space && any)
			mg_sha256_update(&h, " ", 1);
		space = false;
		any = true;
		{
			size_t j = mg_sql_skip_element(text, i, end);
			if (j > end)
				j = end;
			mg_sha256_update(&h, text + i, j - i);
			i = j;
		}
	}
	mg_sha256_final(&h, dig);
	for (int k = 0; k < 8; k++) {
		out[2 * k] = hex[dig[k] >> 4];
		out[2 * k + 1] = hex[dig[k] & 15];
	}
	out[16] = '\0';
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
