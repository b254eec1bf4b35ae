/*
 * strmap: a string-keyed hash map (open addressing, linear probing, FNV-1a)
 * for the lint engine's per-kind rule lists and the catalog's tables.
 *
 * Keys are copied (the map owns them); values are the caller's pointers:
 * the map never frees one, so whoever puts owned values frees them, e.g.
 * by walking the slots before mg_strmap_release. A zeroed struct is an
 * empty map.
 *
 * The slots are public for walking:
 *     for (size_t i = 0; i < m->cap; i++)
 *         if (m->v[i].key) ... m->v[i].val ...
 * (slot order: arbitrary, but the same until the next put or delete).
 * Lookups are inline: the catalog makes hundreds of thousands of them.
 */
#ifndef MG_STRMAP_H
#define MG_STRMAP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct mg_strmap_slot {
	char *key;      /* owned; NULL = empty */
	uint32_t hash;
	void *val;
};

struct mg_strmap {
	struct mg_strmap_slot *v;
	size_t cap, n;  /* cap: 0 or a power of two; n: keys */
};

/* FNV-1a of a NUL-terminated string. */
static inline uint32_t mg_strmap_hash(const char *s)
{
	uint32_t h = 2166136261u;
	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 16777619u;
	}
	return h;
}

/* The slot holding key (hash h), or the empty slot where it would go;
 * NULL when the map has no slots yet. */
static inline struct mg_strmap_slot *mg_strmap_slot(const struct mg_strmap *m,
						    const char *key, uint32_t h)
{
	size_t mask, i;

	if (!m->cap)
		return NULL;
	mask = m->cap - 1;
	for (i = h & mask;; i = (i + 1) & mask) {
		struct mg_strmap_slot *s = &m->v[i];
		if (!s->key)
			return s;
		if (s->hash == h && !strcmp(s->key, key))
			return s;
	}
}

/* The value of key, or NULL. */
static inline void *mg_strmap_get(const struct mg_strmap *m, const char *key)
{
	struct mg_strmap_slot *s = mg_strmap_slot(m, key, mg_strmap_hash(key));
	return s && s->key ? s->val : NULL;
}

/* Insert or replace; returns the value replaced (or NULL). */
void *mg_strmap_put(struct mg_strmap *m, const char *key, void *val);
/* The value of key, inserted as NULL if absent: one lookup for "get or
 * create". Valid until the next put, ref or delete. */
void **mg_strmap_ref(struct mg_strmap *m, const char *key);
/* Remove key; returns its value (or NULL). */
void *mg_strmap_del(struct mg_strmap *m, const char *key);
/* Free the slots and keys (not the values); the map is empty again. */
void mg_strmap_release(struct mg_strmap *m);

#endif
