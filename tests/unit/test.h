/*
 * test: a minimal unit-test framework. Each tests/unit/<module>.c holds
 * TEST(test_<module>__<case>) functions; the runner (main.c) runs the tests
 * of the files named on its command line (ctest registers one entry per file)
 * or those whose name contains the pattern given with -t.
 */
#ifndef MG_TEST_H
#define MG_TEST_H

#include <stdio.h>
#include <string.h>

void mg_test_register(const char *name, void (*fn)(void), const char *file);
void mg_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)                                                        \
	static void name(void);                                           \
	__attribute__((constructor)) static void reg_##name(void)         \
	{                                                                 \
		mg_test_register(#name, name, __FILE__);                  \
	}                                                                 \
	static void name(void)

#define CHECK(cond)                                                       \
	do {                                                              \
		if (!(cond)) {                                            \
			mg_test_fail(__FILE__, __LINE__, "%s", #cond);    \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_INT(a, b)                                                   \
	do {                                                              \
		long long a_ = (long long)(a), b_ = (long long)(b);       \
		if (a_ != b_) {                                           \
			mg_test_fail(__FILE__, __LINE__, "%s == %lld, "   \
				     "expected %lld", #a, a_, b_);        \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *a_ = (a), *b_ = (b);                          \
		if (!a_ || !b_ || strcmp(a_, b_)) {                       \
			mg_test_fail(__FILE__, __LINE__, "%s == \"%s\", " \
				     "expected \"%s\"", #a,               \
				     a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                       \
	do {                                                              \
		const char *h_ = (hay), *n_ = (needle);                   \
		if (!h_ || !strstr(h_, n_)) {                             \
			mg_test_fail(__FILE__, __LINE__, "%s == \"%s\" "  \
				     "lacks \"%s\"", #hay,                \
				     h_ ? h_ : "(null)", n_);             \
			return;                                           \
		}                                                         \
	} while (0)

/* A fresh temporary directory for this test (removed at exit). */
const char *mg_test_tmpdir(void);
/* Write a file under dir (creating parent directories). */
void mg_test_write(const char *dir, const char *rel, const char *content);

#endif
