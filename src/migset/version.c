/* version: version tokens and ordering; see version.h. */
#include "version.h"

#include <ctype.h>
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

/* Next digit group of s at *p: start and length without leading zeros. */
static int next_group(const char **p, const char **start, size_t *len)
{
	const char *s = *p;

	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (!*s) {
		*p = s;
		return 0;
	}
	while (*s == '0' && isdigit((unsigned char)s[1]))
		s++;
	*start = s;
	while (isdigit((unsigned char)*s))
		s++;
	*len = (size_t)(s - *start);
	*p = s;
	return 1;
}

int mg_version_cmp(const char *a, const char *b)
{
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
			int c = memcmp(sa, sb, la);
			if (c)
				return c < 0 ? -1 : 1;
		}
	}
}
