/* source: text with a line map; see source.h. */
#include "source.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fs.h"
#include "../core/xalloc.h"

size_t mg_utf8_check(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t need;
		uint32_t cp;

		if (c < 0x80) {
			uint64_t w;
			i++;
			/* ASCII runs (nearly all of a SQL file) 8 bytes at a time */
			while (i + 8 <= n) {
				memcpy(&w, s + i, 8);
				if (w & 0x8080808080808080ull)
					break;
				i += 8;
			}
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + need >= n)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += need + 1;
	}
	return n;
}

static void build_lines(struct mg_source *src)
{
	const char *t = src->text, *end = t + src->len, *p;
	size_t n = 1;

	/* count first: one allocation of the exact size */
	for (p = t; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		n++;
	src->line_starts = mg_xmalloc(n * sizeof(*src->line_starts));
	src->line_starts[0] = 0;
	src->nlines = 1;
	for (p = t; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		src->line_starts[src->nlines++] = (size_t)(p - t) + 1;
}

static int check_text(struct mg_source *src, struct mg_err *err)
{
	const char *nul = memchr(src->text, '\0', src->len);
	size_t bad;
	unsigned line, col;

	if (nul) {
		mg_source_pos(src, (size_t)(nul - src->text), &line, &col);
		mg_err_set(err, MG_EINPUT, "binary-file",
			   "file contains a NUL byte; it is not a SQL text file");
		mg_err_at(err, src->path, line, col);
		mg_err_hint(err, "migration files must be UTF-8 text; remove the "
				 "file or convert it (UTF-16 files: iconv -f UTF-16 -t UTF-8)");
		return MG_EINPUT;
	}
	bad = mg_utf8_check(src->text, src->len);
	if (bad != src->len) {
		mg_source_pos(src, bad, &line, &col);
		mg_err_set(err, MG_EINPUT, "invalid-utf8",
			   "invalid UTF-8 byte 0x%02x",
			   (unsigned)(unsigned char)src->text[bad]);
		mg_err_at(err, src->path, line, col);
		mg_err_hint(err, "save the file as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8)");
		return MG_EINPUT;
	}
	return 0;
}

int mg_source_adopt(struct mg_source *src, const char *path, char *text,
		    size_t len, struct mg_err *err)
{
	int rc;

	memset(src, 0, sizeof(*src));
	src->path = mg_xstrdup(path);
	src->text = text;
	src->len = len;
	if (len >= 3 && (unsigned char)text[0] == 0xef &&
	    (unsigned char)text[1] == 0xbb && (unsigned char)text[2] == 0xbf) {
		memmove(text, text + 3, len - 3 + 1);
		src->len -= 3;
		src->had_bom = true;
	}
	build_lines(src);
	rc = check_text(src, err);
	if (rc)
		mg_source_release(src);
	return rc;
}

int mg_source_load(struct mg_source *src, const char *path, struct mg_err *err)
{
	char *text;
	size_t len;
	int rc;

	memset(src, 0, sizeof(*src));
	rc = mg_fs_read(path, &text, &len, err);
	if (rc)
		return rc;
	return mg_source_adopt(src, path, text, len, err);
}

void mg_source_release(struct mg_source *src)
{
	free(src->path);
	free(src->text);
	free(src->line_starts);
	memset(src, 0, sizeof(*src));
}

void mg_source_pos(const struct mg_source *src, size_t off, unsigned *line,
		   unsigned *col)
{
	size_t lo = 0, hi = src->nlines, i, c = 1;

	if (off > src->len)
		off = src->len;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->line_starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (i = src->line_starts[lo]; i < off; i++)
		if (((unsigned char)src->text[i] & 0xc0) != 0x80)
			c++;
	*line = (unsigned)(lo + 1);
	*col = (unsigned)c;
}

void mg_source_line(const struct mg_source *src, unsigned line, size_t *start,
		    size_t *len)
{
	size_t s, e;

	if (line == 0 || line > src->nlines) {
		*start = src->len;
		*len = 0;
		return;
	}
	s = src->line_starts[line - 1];
	e = s;
	while (e < src->len && src->text[e] != '\n')
		e++;
	if (e > s && src->text[e - 1] == '\r')
		e--;
	*start = s;
	*len = e - s;
}
