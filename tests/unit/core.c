/* Unit tests: src/core (buf, sha256, err, fs). */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/fs.h"
#include "core/sha256.h"
#include "core/xalloc.h"

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

/* The names in dir other than . and .. (how many). */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* mg_fs_write replaces a file whole, created 0666 less the umask;
 * mg_fs_write_private creates it 0600 whatever the umask. Neither leaves
 * a temp file behind, written or failed. */
TEST(test_core__fs_write_modes_and_atomic_replace)
{
	const char *d = mg_test_tmpdir();
	char *p = mg_xasprintf("%s/f", d), *q = mg_xasprintf("%s/g", d);
	char *bad = mg_xasprintf("%s/missing/f", d), *text;
	struct mg_err e = MG_ERR_INIT;
	struct stat st;
	mode_t old = umask(022);
	size_t n;

	CHECK_INT(mg_fs_write(p, "one", 3, &e), 0);
	CHECK_INT(stat(p, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	CHECK_INT(mg_fs_write(p, "second", 6, &e), 0);
	CHECK_INT(mg_fs_read(p, &text, &n, &e), 0);
	CHECK_STR(text, "second");
	free(text);
	umask(0);
	CHECK_INT(mg_fs_write_private(q, "secret", 6, &e), 0);
	CHECK_INT(stat(q, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	/* replacing a file others could read gives a private one */
	CHECK_INT(chmod(q, 0644), 0);
	CHECK_INT(mg_fs_write_private(q, "again", 5, &e), 0);
	CHECK_INT(stat(q, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(mg_fs_read(q, &text, &n, &e), 0);
	CHECK_STR(text, "again");
	CHECK_INT(n, 5);
	free(text);
	umask(old);
	CHECK_INT(entries(d), 2);
	CHECK_INT(mg_fs_write_private(bad, "x", 1, &e), MG_EIO);
	CHECK_STR(e.id, "cannot-write");
	mg_err_release(&e);
	CHECK_INT(mg_fs_write(bad, "x", 1, &e), MG_EIO);
	CHECK_STR(e.id, "cannot-write");
	mg_err_release(&e);
	CHECK_INT(entries(d), 2);
	free(p);
	free(q);
	free(bad);
}

/* mg_fs_read_fd reads the rest of a file its caller opened, and refuses
 * one larger than the limit before reading it. */
TEST(test_core__fs_read_fd)
{
	const char *d = mg_test_tmpdir();
	char *p = mg_xasprintf("%s/f", d), *text = NULL;
	struct mg_err e = MG_ERR_INIT;
	struct stat st;
	size_t n;
	int fd;

	mg_test_write(d, "f", "hello, world");
	fd = open(p, O_RDONLY);
	CHECK(fd >= 0);
	CHECK_INT(fstat(fd, &st), 0);
	CHECK_INT(mg_fs_read_fd(fd, p, &st, &text, &n, &e), 0);
	CHECK_STR(text, "hello, world");
	CHECK_INT(n, 12);
	free(text);
	st.st_size = (off_t)MG_FS_MAX_FILE + 1;
	CHECK_INT(mg_fs_read_fd(fd, p, &st, &text, &n, &e), MG_EIO);
	CHECK_STR(e.id, "file-too-large");
	CHECK(!text);
	mg_err_release(&e);
	close(fd);
	free(p);
}
