/* Unit tests: src/lint/strmap (the string-keyed hash map of the catalog and
 * the engine's rule dispatch). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lint/strmap.h"
#include "test.h"

#define VAL(i) ((void *)(uintptr_t)((i) + 1))

TEST(test_strmap__empty_put_get_replace)
{
	struct mg_strmap m = { 0 };
	char key[8] = "kind";

	CHECK(mg_strmap_get(&m, "x") == NULL);
	CHECK(mg_strmap_del(&m, "x") == NULL);
	CHECK(mg_strmap_put(&m, key, VAL(1)) == NULL);
	key[0] = 'K'; /* the map keeps its own copy of the key */
	CHECK(mg_strmap_get(&m, "kind") == VAL(1));
	CHECK(mg_strmap_get(&m, "Kind") == NULL);
	CHECK(mg_strmap_put(&m, "kind", VAL(2)) == VAL(1));
	CHECK_INT(m.n, 1);
	CHECK(mg_strmap_get(&m, "kind") == VAL(2));
	CHECK(mg_strmap_put(&m, "", VAL(3)) == NULL); /* "" is a key too */
	CHECK(mg_strmap_get(&m, "") == VAL(3));
	mg_strmap_release(&m);
	CHECK(m.v == NULL && m.cap == 0 && m.n == 0);
	CHECK(mg_strmap_get(&m, "kind") == NULL);
}

/* Many keys (growth, long probe runs) and deletions in the middle of runs
 * (backward shift): every key stays findable, every deleted one is gone,
 * and walking the slots sees each live key once. */
TEST(test_strmap__grow_delete_walk)
{
	enum { N = 3000 };
	struct mg_strmap m = { 0 };
	static unsigned char seen[N];
	char key[32];
	size_t live = 0;

	for (size_t i = 0; i < N; i++) {
		snprintf(key, sizeof key, "public\x1ft%zu", i);
		CHECK(mg_strmap_put(&m, key, VAL(i)) == NULL);
	}
	CHECK_INT(m.n, N);
	CHECK(m.cap >= N && (m.cap & (m.cap - 1)) == 0);
	for (size_t i = 0; i < N; i += 3) {
		snprintf(key, sizeof key, "public\x1ft%zu", i);
		CHECK(mg_strmap_del(&m, key) == VAL(i));
		CHECK(mg_strmap_del(&m, key) == NULL);
	}
	for (size_t i = 0; i < N; i++) {
		snprintf(key, sizeof key, "public\x1ft%zu", i);
		CHECK(mg_strmap_get(&m, key) == (i % 3 ? VAL(i) : NULL));
		live += i % 3 != 0;
	}
	CHECK_INT(m.n, live);
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < m.cap; i++) {
		size_t k;
		if (!m.v[i].key)
			continue;
		k = (size_t)(uintptr_t)m.v[i].val - 1;
		CHECK(k < N && k % 3 && !seen[k]);
		seen[k] = 1;
		CHECK_INT(m.v[i].hash, mg_strmap_hash(m.v[i].key));
	}
	/* deleted keys can come back */
	snprintf(key, sizeof key, "public\x1ft%d", 0);
	CHECK(mg_strmap_put(&m, key, VAL(7)) == NULL);
	CHECK(mg_strmap_get(&m, key) == VAL(7));
	mg_strmap_release(&m);
}
