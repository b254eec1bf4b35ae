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
	size_t i = 0, ea, eb;
	int first;

	if (*a == '0' || *b == '0' || !*a || !*b)
		return false;
	/* the common prefix */
	while (a[i] == b[i] && (unsigned)(a[i] - '0') < 10)
		i++;
	if (a[i] == b[i]) {
		if (a[i])
			return false; /* the same separator or other character */
		*res = 0;
		return true;
	}
	first = (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
	/* the rest must be digits to the end on both sides */
	for (ea = i; (unsigned)(a[ea] - '0') < 10; ea++)
		;
	for (eb = i; (unsigned)(b[eb] - '0') < 10; eb++)
		;
	if (a[ea] || b[eb])
		return false;
	*res = ea != eb ? (ea < eb ? -1 : 1) : first;
	return true;
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
	char *out = malloc(strlen(v) + 2);

	if (!out)
		abort();
	mg_version_key_to(v, out);
	return out;
}

void mg_version_key_to(const char *v, char *out)
{
	size_t n = 0;
	const char *st;
	size_t len;

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
}
