/* Unit tests: mg_directives_scan (src/sql/directive.c) finds exactly the
 * directives that the byte-at-a-time scan (mg_sql_skip_element at every
 * byte that is not a blank or a newline) found, on token soup built to hit
 * quotes, comments, dollar quotes and directives next to each other. */
#include <stdlib.h>
#include <string.h>

#include "sql/directive.h"
#include "sql/source.h"
#include "test.h"

/* Offsets of the "--" of every directive in s[start, end): the scan as it
 * was before runs of plain bytes were skipped at once. */
static size_t reference(const char *s, size_t start, size_t end, size_t *offs)
{
	size_t i = start, n = 0;
	int line_start = 1;

	while (i < end) {
		char c = s[i];
		if (c == '\n') {
			line_start = 1;
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
			i++;
			continue;
		}
		if (line_start && c == '-' && i + 1 < end && s[i + 1] == '-') {
			size_t j = i + 2, eol = i;
			while (eol < end && s[eol] != '\n')
				eol++;
			while (j < eol && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (eol - j >= 8 && memcmp(s + j, "migrate:", 8) == 0)
				offs[n++] = i;
			i = eol;
			continue;
		}
		line_start = 0;
		i = mg_sql_skip_element(s, i, end);
	}
	return n;
}

/* Directives end their line, so only a range that cuts one short makes it
 * wrong. */
static const char *const toks[] = {
	"-- migrate:up\n", "-- migrate:down\n", "--migrate:up transaction:false\n",
	"-- migrate:no-transaction\n", "--\tmigrate:description d",
	"-- migrate:lint-ignore drop-column -- why", "--", "-- note", "-", "/",
	"*", "/*", "*/", "'", "''", "E'", "e'", "\\", "\\'", "x'", "\"", "$$",
	"$a$", "a$", "$1", "$_b$", "\n", "\r\n", "\r", " ", "\t", "\f", "x",
	"E", "_", "9", ";", "SELECT 1", "\xc3\xa9", "\n-- migrate:up\n",
	"\n  -- migrate:down\n", "\n\t--migrate:no-transaction\n",
};
#define NTOKS (sizeof(toks) / sizeof(toks[0]))

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* 1 if scanning text[start, end) gives the reference's directives */
static int same(const char *text, size_t start, size_t end)
{
	struct mg_source src;
	struct mg_err e = MG_ERR_INIT;
	struct mg_directives d = { 0 };
	size_t len = strlen(text), offs[1024], n;
	char *t = malloc(len + 1);
	int ok;

	memcpy(t, text, len + 1);
	memset(&src, 0, sizeof(src));
	if (mg_source_adopt(&src, "x.sql", t, len, &e)) {
		mg_err_release(&e);
		return 0;
	}
	if (end > len)
		end = len;
	if (start > end)
		start = end;
	n = reference(src.text, start, end, offs);
	if (mg_directives_scan(&src, start, end, &d, &e) == 0) {
		ok = d.n == n;
		for (size_t k = 0; ok && k < n; k++)
			ok = d.items[k].off == offs[k];
	} else {
		/* the error of the first directive that is wrong on its own */
		ok = 0;
		for (size_t k = 0; d.n == 0 && k < n; k++) {
			struct mg_directives one = { 0 };
			struct mg_err e1 = MG_ERR_INIT;
			const char *nl = memchr(src.text + offs[k], '\n',
						end - offs[k]);
			size_t eol = nl ? (size_t)(nl - src.text) : end;
			int rc = mg_directives_scan(&src, offs[k], eol, &one, &e1);

			mg_directives_release(&one);
			if (rc) {
				ok = !strcmp(e.id, e1.id) && e.line == e1.line &&
				     e.col == e1.col;
				mg_err_release(&e1);
				break;
			}
		}
	}
	if (!ok)
		printf("  differs on [%zu, %zu) of \"%s\"\n", start, end, text);
	mg_directives_release(&d);
	mg_err_release(&e);
	mg_source_release(&src);
	return ok;
}

TEST(test_directive__plain_runs_skipped_as_before)
{
	CHECK(same("", 0, 0));
	CHECK(same("SELECT 1; -- migrate:up\n-- migrate:down\n", 0, 99));
	CHECK(same("  \t -- migrate:up\nx -- migrate:down\n", 0, 99));
	CHECK(same("SELECT 'a\n-- migrate:down\n';\n-- migrate:up\n", 0, 99));
	CHECK(same("SELECT E'\\'\n-- migrate:down\n';", 0, 99));
	CHECK(same("SELECT x$$\n-- migrate:down\n$$\n-- migrate:up", 0, 99));
	CHECK(same("/* /* */\n-- migrate:down\n*/\n-- migrate:up", 0, 99));
	CHECK(same("x -- c\r-- migrate:up\n\f-- migrate:down", 0, 99));
	/* a sub-range starting mid-line and mid-string */
	CHECK(same("SELECT 'a\n-- migrate:down\n';\n-- migrate:up\n", 12, 99));
	CHECK(same("x\n-- migrate:up\n-- migrate:down\n", 3, 20));
}

TEST(test_directive__random_token_soup)
{
	char buf[4096];

	for (int round = 0; round < 20000; round++) {
		size_t len = 0, ntok = rnd(40), a, b;
		for (size_t k = 0; k < ntok; k++) {
			const char *t = toks[rnd(NTOKS)];
			size_t tl = strlen(t);
			if (len + tl >= sizeof(buf))
				break;
			memcpy(buf + len, t, tl);
			len += tl;
		}
		buf[len] = 0;
		CHECK(same(buf, 0, len));
		a = rnd((unsigned)len + 1);
		b = rnd((unsigned)len + 1);
		CHECK(same(buf, a < b ? a : b, a < b ? b : a));
	}
}
