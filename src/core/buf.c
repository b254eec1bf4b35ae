/* buf: growable NUL-terminated buffer; see buf.h for the invariants. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

char mg_buf_empty[1];

void mg_buf_init(struct mg_buf *b)
{
	b->buf = mg_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void mg_buf_release(struct mg_buf *b)
{
	if (b->alloc)
		free(b->buf);
	mg_buf_init(b);
}

void mg_buf_reset(struct mg_buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->buf[0] = '\0';
}

static void grow(struct mg_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->alloc)
		return;
	if (!b->alloc) {
		size_t cap = need < 64 ? 64 : need;
		b->buf = mg_xmalloc(cap);
		b->buf[0] = '\0';
		b->alloc = cap;
		return;
	}
	{
		void *p = b->buf;
		mg_xgrow(&p, &b->alloc, need, 1);
		b->buf = p;
	}
}

void mg_buf_add(struct mg_buf *b, const void *data, size_t n)
{
	if (!n)
		return;
	grow(b, n);
	memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void mg_buf_adds(struct mg_buf *b, const char *s)
{
	mg_buf_add(b, s, strlen(s));
}

void mg_buf_addc(struct mg_buf *b, char c)
{
	mg_buf_add(b, &c, 1);
}

void mg_buf_vaddf(struct mg_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	grow(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void mg_buf_addf(struct mg_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mg_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

static void add_quoted(struct mg_buf *b, const char *s, char q)
{
	mg_buf_addc(b, q);
	for (; *s; s++) {
		if (*s == q)
			mg_buf_addc(b, q);
		mg_buf_addc(b, *s);
	}
	mg_buf_addc(b, q);
}

void mg_buf_add_sql_literal(struct mg_buf *b, const char *s)
{
	add_quoted(b, s, '\'');
}

void mg_buf_add_sql_ident(struct mg_buf *b, const char *s)
{
	add_quoted(b, s, '"');
}

void mg_buf_add_shell_word(struct mg_buf *b, const char *s)
{
	size_t plain = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789_.,:/@%+=-");

	if (*s && !s[plain]) {
		mg_buf_adds(b, s);
		return;
	}
	mg_buf_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			mg_buf_adds(b, "'\\''");
		else
			mg_buf_addc(b, *s);
	}
	mg_buf_addc(b, '\'');
}

void mg_buf_add_json_str(struct mg_buf *b, const char *s)
{
	const char *run = s; /* characters that need no escape, added at once */

	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		mg_buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '\0': return;
		case '"': mg_buf_adds(b, "\\\""); break;
		case '\\': mg_buf_adds(b, "\\\\"); break;
		case '\n': mg_buf_adds(b, "\\n"); break;
		case '\r': mg_buf_adds(b, "\\r"); break;
		case '\t': mg_buf_adds(b, "\\t"); break;
		default: mg_buf_addf(b, "\\u%04x", c);
		}
	}
}

char *mg_buf_detach(struct mg_buf *b, size_t *len_out)
{
	char *p;

	if (len_out)
		*len_out = b->len;
	if (!b->alloc)
		p = mg_xstrdup("");
	else
		p = b->buf;
	mg_buf_init(b);
	return p;
}
