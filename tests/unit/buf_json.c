/* Unit tests: mg_buf_add_json_str (src/core/buf.c) escapes exactly as the
 * character-at-a-time version did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "test.h"

static void reference(struct mg_buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"': mg_buf_adds(b, "\\\""); break;
		case '\\': mg_buf_adds(b, "\\\\"); break;
		case '\n': mg_buf_adds(b, "\\n"); break;
		case '\r': mg_buf_adds(b, "\\r"); break;
		case '\t': mg_buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20) {
				char u[8];
				snprintf(u, sizeof(u), "\\u%04x", c);
				mg_buf_adds(b, u);
			} else {
				mg_buf_addc(b, (char)c);
			}
		}
	}
}

static int same(const char *s)
{
	struct mg_buf a = MG_BUF_INIT, b = MG_BUF_INIT;
	int ok;

	mg_buf_adds(&a, "x");
	mg_buf_adds(&b, "x");
	mg_buf_add_json_str(&a, s);
	reference(&b, s);
	ok = a.len == b.len && !memcmp(a.buf, b.buf, a.len);
	mg_buf_release(&a);
	mg_buf_release(&b);
	return ok;
}

TEST(test_buf_json__escapes)
{
	struct mg_buf b = MG_BUF_INIT;

	mg_buf_add_json_str(&b, "a\"b\\c\nd\re\tf\x01g\x1fh\x7f\xc3\xa9");
	CHECK_STR(b.buf, "a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\x7f\xc3\xa9");
	mg_buf_release(&b);
	CHECK(same(""));
	CHECK(same("\""));
	CHECK(same("plain text"));
	CHECK(same("ends with a quote\""));
	CHECK(same("\n\n\\"));
}

TEST(test_buf_json__random_strings)
{
	unsigned seed = 7;
	char s[64];

	for (int k = 0; k < 20000; k++) {
		int n = (int)(rand_r(&seed) % 40);
		for (int i = 0; i < n; i++) {
			int r = (int)(rand_r(&seed) % 8);
			s[i] = r == 0 ? (char)(1 + rand_r(&seed) % 31) :
			       r == 1 ? '"' : r == 2 ? '\\' :
			       r == 3 ? (char)(0x80 + rand_r(&seed) % 128) :
			       (char)(' ' + rand_r(&seed) % 95);
		}
		s[n] = '\0';
		if (!same(s)) {
			mg_test_fail(__FILE__, __LINE__, "differs on string %d", k);
			return;
		}
	}
}
