/* xalloc: allocation that aborts on failure; see xalloc.h. */
#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(size_t n)
{
	fprintf(stderr, "migrate: fatal: out of memory (%zu bytes)\n", n);
	abort();
}

void *mg_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *mg_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *mg_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void mg_xgrow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;

	if (need <= *cap)
		return;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > ((size_t)-1) / 2 / elem)
			oom(need * elem);
		ncap *= 2;
	}
	*p = mg_xrealloc(*p, ncap * elem);
	*cap = ncap;
}

char *mg_xstrdup(const char *s)
{
	return mg_xstrndup(s, strlen(s));
}

char *mg_xstrndup(const char *s, size_t n)
{
	/* n + 1 bytes, as callers that pass a text with a NUL in it (then
	 * rejected, positioned) expect; the copy stops at the NUL. memchr,
	 * not strnlen: libpg_query's static library brings a byte-at-a-time
	 * strnlen that takes libc's place. */
	char *p = mg_xmalloc(n + 1);
	const char *nul = memchr(s, '\0', n);
	size_t k = nul ? (size_t)(nul - s) : n;

	memcpy(p, s, k);
	p[k] = '\0';
	return p;
}

char *mg_xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	p = mg_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *mg_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = mg_xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}
