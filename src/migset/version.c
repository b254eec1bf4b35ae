/* version: version tokens and ordering; see version.h. */
#include "version.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

size_t mg_version_scan(const char *s, size_t *skip_out)
{
	size_t skip = 0, i;

	if ((s[0] == 'v' || s[0] == 'V') && isdigit((unsigned char)s[1]))
		skip = 1;
	i = skip;
	if (!isdigit((unsigned char)s[i])) {
		if (skip_out)
			*skip_out = 0;
		return 0;
	}
	for (;;) {
		while (isdigit((unsigned char)s[i]))
			i++;
		if ((s[i] == '-' || s[i] == '.') && isdigit((unsigned char)s[i + 1]))
			i++;
		else
			break;
	}
	if (skip_out)
		*skip_out = skip;
	return i - skip;
}

/* The next group of s at *p: digits, with '-' between digits ignored
 * (2024-01-01-120000 is the timestamp 20240101120000, as diesel records
 * it) and leading zeros skipped; '.' (and anything else) separates groups
 * (1.10.0). Sets *start and *len (digits only, dashes not counted). */
static int next_group(const char **p, const char **start, size_t *len)
{
	const char *s = *p;
	size_t n = 0;

	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	for (;;) {
		while (*s == '0')
			s++;
		if (*s == '-' && isdigit((unsigned char)s[1])) {
			s++;
			continue;
		}
		break;
	}
	if (!isdigit((unsigned char)*s)) {
		/* the group was all zeros: it is "0" */
		*start = "0";
		*len = 1;
		*p = s;
		return 1;
	}
	*start = s;
	for (;;) {
		while (isdigit((unsigned char)*s)) {
			s++;
			n++;
		}
		if (*s == '-' && isdigit((unsigned char)s[1]))
			s++;
		else
			break;
	}
	*len = n;
	*p = s;
	return 1;
}

/* Compare two groups of the same digit count, dashes skipped. */
static int cmp_digits(const char *a, const char *b, size_t n)
{
	while (n) {
		if (*a == '-')
			a++;
		if (*b == '-')
			b++;
		if (*a != *b)
			return *a < *b ? -1 : 1;
		a++;
		b++;
		n--;
	}
	return 0;
}

/* The common case, both versions plain digits without a leading zero
 * (20240101120000, 42): a longer one is larger, else the first differing
 * digit decides, as the group comparison below would say. Returns false
 * (and leaves *res) when either is anything else. */
static bool plain_cmp(const char *a, const char *b, int *res)
{
	int c = 0;

	if (*a == '0' || *b == '0' || !*a || !*b)
		return false;
	for (size_t i = 0;; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		bool dx = (unsigned)(x - '0') < 10, dy = (unsigned)(y - '0') < 10;
		const char *rest;
		if (dx && dy) {
			if (!c && x != y)
				c = x < y ? -1 : 1;
			continue;
		}
		if (!x && !y) {
			*res = c;
			return true;
		}
		if (!((!x && dy) || (!y && dx)))
			return false; /* a separator or other character */
		/* one ended: the other must be digits to its end, and longer */
		for (rest = (x ? a : b) + i; *rest; rest++)
			if ((unsigned)(*rest - '0') >= 10)
				return false;
		*res = x ? 1 : -1;
		return true;
	}
}

int mg_version_cmp(const char *a, const char *b)
{
	int res;

	if (plain_cmp(a, b, &res))
		return res;
	for (;;) {
		const char *sa, *sb;
		size_t la, lb;
		int ha = next_group(&a, &sa, &la);
		int hb = next_group(&b, &sb, &lb);

		if (!ha || !hb)
			return ha - hb;
		if (la != lb)
			return la < lb ? -1 : 1;
		{
			int c = cmp_digits(sa, sb, la);
			if (c)
				return c;
		}
	}
}

char *mg_version_key(const char *v)
{
	size_t cap = strlen(v) + 2, n = 0;
	char *out = malloc(cap);
	const char *st;
	size_t len;

	if (!out)
		abort();
	while (next_group(&v, &st, &len)) {
		if (n)
			out[n++] = '.';
		for (size_t i = 0; i < len; st++) {
			if (*st == '-')
				continue;
			out[n++] = *st;
			i++;
		}
	}
	out[n] = '\0';
	return out;
}
