/* Unit tests: mg_version_cmp's fast path for plain digit versions agrees
 * with the general group comparison (src/migset/version.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migset/version.h"
#include "test.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* plain digits without a leading zero: longer is larger, then digits */
static int reference(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la != lb)
		return la < lb ? -1 : 1;
	return sign(strcmp(a, b));
}

static void random_plain(char *out, unsigned *seed)
{
	int n = 1 + (int)(rand_r(seed) % 16);

	for (int i = 0; i < n; i++)
		out[i] = (char)('0' + rand_r(seed) % 10);
	if (out[0] == '0')
		out[0] = '1';
	out[n] = '\0';
}

TEST(test_version_order__plain_digits)
{
	unsigned seed = 12345;
	char a[32], b[32];

	for (int k = 0; k < 200000; k++) {
		random_plain(a, &seed);
		if (k % 3 == 0) { /* often the same length, a common prefix */
			memcpy(b, a, sizeof(a));
			b[rand_r(&seed) % strlen(b)] = (char)('0' + rand_r(&seed) % 10);
			if (b[0] == '0')
				b[0] = '9';
		} else {
			random_plain(b, &seed);
		}
		if (sign(mg_version_cmp(a, b)) != reference(a, b)) {
			mg_test_fail(__FILE__, __LINE__, "'%s' vs '%s': %d, expected %d", a,
				     b, mg_version_cmp(a, b), reference(a, b));
			return;
		}
	}
}

/* Anything not plain takes the group comparison, with its rules. */
TEST(test_version_order__not_plain)
{
	static const struct { const char *a, *b; int want; } cases[] = {
		{ "12", "12-3", -1 },             /* 12 vs 123 (diesel dashes) */
		{ "2024-01-01-120000", "20240101120000", 0 },
		{ "2024-01-01-120000", "20240101120001", -1 },
		{ "0001", "1", 0 },               /* leading zeros */
		{ "0002", "10", -1 },
		{ "1.10.0", "1.9.0", 1 },
		{ "1.2", "1", 1 },
		{ "1", "1.0", -1 },
		{ "v2", "10", -1 },
		{ "10", "9", 1 },
		{ "9", "10", -1 },
		{ "123", "123", 0 },
		{ "1234", "123x", 1 },
		{ "0", "00", 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = sign(mg_version_cmp(cases[i].a, cases[i].b));
		int rev = sign(mg_version_cmp(cases[i].b, cases[i].a));
		if (got != cases[i].want || rev != -cases[i].want) {
			mg_test_fail(__FILE__, __LINE__, "'%s' vs '%s': %d / %d, expected %d",
				     cases[i].a, cases[i].b, got, rev, cases[i].want);
			return;
		}
	}
}
