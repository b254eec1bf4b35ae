/* pgscan: hand-decoded pg_query_scan; see pgscan.h. */
#include "pgscan.h"

#include <ctype.h>
#include <pg_query.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

static int varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;
	int shift = 0;

	while (*p < end && shift < 64) {
		uint8_t b = *(*p)++;
		r |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = r;
			return 0;
		}
		shift += 7;
	}
	return -1;
}

/* Skip a field of wire type wt. */
static int skip_field(const uint8_t **p, const uint8_t *end, int wt)
{
	uint64_t v;

	switch (wt) {
	case 0: return varint(p, end, &v);
	case 1: if (end - *p < 8) return -1; *p += 8; return 0;
	case 2:
		if (varint(p, end, &v) || v > (uint64_t)(end - *p))
			return -1;
		*p += v;
		return 0;
	case 5: if (end - *p < 4) return -1; *p += 4; return 0;
	default: return -1;
	}
}

static int decode_token(const uint8_t *p, const uint8_t *end, struct mg_token *t)
{
	memset(t, 0, sizeof(*t));
	while (p < end) {
		uint64_t key, v;
		if (varint(&p, end, &key))
			return -1;
		if ((key & 7) != 0) {
			if (skip_field(&p, end, (int)(key & 7)))
				return -1;
			continue;
		}
		if (varint(&p, end, &v))
			return -1;
		switch (key >> 3) {
		case 1: t->off = (size_t)(uint32_t)v; break;
		case 2: t->end = (size_t)(uint32_t)v; break;
		case 4: t->token = (int)v; break;
		case 5: t->keyword_kind = (int)v; break;
		default: break;
		}
	}
	return 0;
}

long mg_pg_scan(const char *text, size_t off, size_t end, struct mg_token **out)
{
	char *buf = mg_xstrndup(text + off, end - off);
	PgQueryScanResult r = pg_query_scan(buf);
	const uint8_t *p, *e;
	struct mg_token *v = NULL;
	size_t n = 0, cap = 0;

	free(buf);
	*out = NULL;
	if (r.error) {
		pg_query_free_scan_result(r);
		return -1;
	}
	p = (const uint8_t *)r.pbuf.data;
	e = p + r.pbuf.len;
	while (p < e) {
		uint64_t key, len;
		if (varint(&p, e, &key))
			goto bad;
		if ((key >> 3) == 2 && (key & 7) == 2) {
			struct mg_token t;
			if (varint(&p, e, &len) || len > (uint64_t)(e - p))
				goto bad;
			if (decode_token(p, p + len, &t))
				goto bad;
			p += len;
			if (t.token == MG_TOK_SQL_COMMENT || t.token == MG_TOK_C_COMMENT)
				continue;
			t.off += off;
			t.end += off;
			MG_GROW(v, cap, n + 1);
			v[n++] = t;
		} else if (skip_field(&p, e, (int)(key & 7))) {
			goto bad;
		}
	}
	pg_query_free_scan_result(r);
	*out = v;
	return (long)n;
bad:
	pg_query_free_scan_result(r);
	free(v);
	return -1;
}

int mg_token_is(const char *text, const struct mg_token *t, const char *word)
{
	size_t n = t->end - t->off;

	if (strlen(word) != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)text[t->off + i]) != (unsigned char)word[i])
			return 0;
	return 1;
}
