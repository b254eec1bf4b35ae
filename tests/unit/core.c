/* Unit tests: src/core (buf, sha256, err). */
#include <stdlib.h>

#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/sha256.h"

TEST(test_core__sha256_known_vectors)
{
	char hex[65];
	mg_sha256_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	mg_sha256_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	mg_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(test_core__buf_quotes_sql)
{
	struct mg_buf b = MG_BUF_INIT;
	char *s;

	mg_buf_add_sql_literal(&b, "it's");
	mg_buf_addc(&b, ' ');
	mg_buf_add_sql_ident(&b, "my\"tab");
	s = mg_buf_detach(&b, NULL);
	CHECK_STR(s, "'it''s' \"my\"\"tab\"");
	free(s);
}

TEST(test_core__buf_shell_words)
{
	static const char *const cases[][2] = {
		{ "20240101000000", "20240101000000" },
		{ "2.3.0-rc1_a/b:c@d%e+f=g,h", "2.3.0-rc1_a/b:c@d%e+f=g,h" },
		{ "", "''" },
		{ "it's x", "'it'\\''s x'" },
		{ "a b", "'a b'" },
		{ "$(rm -rf /)", "'$(rm -rf /)'" },
		{ "\\", "'\\'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mg_buf b = MG_BUF_INIT;

		mg_buf_adds(&b, "<");
		mg_buf_add_shell_word(&b, cases[i][0]);
		CHECK_STR(b.buf + 1, cases[i][1]);
		mg_buf_release(&b);
	}
}

TEST(test_core__err_exit_codes)
{
	CHECK_INT(mg_err_exit_code(MG_OK), 0);
	CHECK_INT(mg_err_exit_code(MG_EREFUSED), 1);
	CHECK_INT(mg_err_exit_code(MG_EUSAGE), 2);
	CHECK_INT(mg_err_exit_code(MG_EINPUT), 2);
	CHECK_INT(mg_err_exit_code(MG_EDB), 3);
	CHECK_INT(mg_err_exit_code(MG_EMIGRATION), 3);
}
