/* strmap: string-keyed hash map; see strmap.h. */
#include "strmap.h"

#include <stdbool.h>
#include <stdlib.h>

#include "../core/xalloc.h"

static void grow(struct mg_strmap *m)
{
	struct mg_strmap old = *m;

	m->cap = old.cap ? old.cap * 2 : 16;
	m->v = mg_xcalloc(m->cap, sizeof(*m->v));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.v[i].key) {
			struct mg_strmap_slot *s =
				mg_strmap_slot(m, old.v[i].key, old.v[i].hash);
			*s = old.v[i];
			m->n++;
		}
	}
	free(old.v);
}

void *mg_strmap_put(struct mg_strmap *m, const char *key, void *val)
{
	uint32_t h = mg_strmap_hash(key);
	struct mg_strmap_slot *s;
	void *old;

	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	s = mg_strmap_slot(m, key, h);
	if (s->key) {
		old = s->val;
		s->val = val;
		return old;
	}
	s->key = mg_xstrdup(key);
	s->hash = h;
	s->val = val;
	m->n++;
	return NULL;
}

void **mg_strmap_ref(struct mg_strmap *m, const char *key)
{
	uint32_t h = mg_strmap_hash(key);
	struct mg_strmap_slot *s = mg_strmap_slot(m, key, h);

	if (s && s->key)
		return &s->val;
	if ((m->n + 1) * 4 > m->cap * 3) {
		grow(m);
		s = mg_strmap_slot(m, key, h);
	}
	s->key = mg_xstrdup(key);
	s->hash = h;
	s->val = NULL;
	m->n++;
	return &s->val;
}

/* Backward-shift deletion: the table is left as if key had never been
 * inserted, so lookups need no tombstones. */
void *mg_strmap_del(struct mg_strmap *m, const char *key)
{
	uint32_t h = mg_strmap_hash(key);
	struct mg_strmap_slot *s = mg_strmap_slot(m, key, h);
	size_t mask, i, j;
	void *val;

	if (!s || !s->key)
		return NULL;
	val = s->val;
	free(s->key);
	s->key = NULL;
	m->n--;
	mask = m->cap - 1;
	i = (size_t)(s - m->v);
	for (j = (i + 1) & mask; m->v[j].key; j = (j + 1) & mask) {
		size_t home = m->v[j].hash & mask;
		/* move j to i if its home is not in (i, j] cyclically */
		bool between = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!between) {
			m->v[i] = m->v[j];
			m->v[j].key = NULL;
			i = j;
		}
	}
	return val;
}

void mg_strmap_release(struct mg_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->v[i].key);
	free(m->v);
	memset(m, 0, sizeof(*m));
}
