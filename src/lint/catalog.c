/* catalog: offline schema replay; see catalog.h. */
#include "catalog.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../sql/pgparse.h"
#include "strmap.h"

/* ---- the catalog -------------------------------------------------------- */

/* The undo journal of a savepoint: the state of every key touched since,
 * saved before its first change (a deep copy, or "absent" for a key about
 * to be created). Every change to a map goes through jsave first. */
enum { M_TABLES, M_INDEXES, M_TYPES, M_FUNCS, M_SCHEMAS, M_N };

struct jentry {
	int m;         /* which map */
	char *key;     /* owned */
	void *old;     /* owned copy of the value, or NULL */
	bool had;      /* the key existed */
};

struct mg_catalog {
	unsigned gen;
	struct mg_strmap tables;  /* key(schema,name) -> struct mg_cat_table * */
	struct mg_strmap indexes; /* key(schema,name) -> struct mg_cat_index * */
	struct mg_strmap types;   /* key(schema,name) -> struct mg_cat_type * */
	struct mg_strmap funcs;   /* key(schema,name) -> struct mg_cat_func * */
	struct mg_strmap schemas; /* name -> (unsigned gen + 1) as a pointer */
	struct mg_strmap by_table;/* key(schema,table) -> struct idx_list *
				     (owned): the indexes of each table */
	bool journal;             /* a savepoint is active */
	unsigned jgen;            /* gen at the savepoint */
	struct jentry *j;
	size_t nj, capj;
	struct mg_strmap seen[M_N]; /* keys saved in j, per map */
};

#define NAMELEN 64

static const char *sch(const char *s)
{
	return s && s[0] ? s : "public";
}

/* "schema\x1fname", truncated to size (hot: no snprintf). */
static void make_key(char *out, size_t size, const char *schema, const char *name)
{
	const char *a = sch(schema), *b = name ? name : "";
	size_t la = strlen(a), lb = strlen(b);

	if (!size)
		return;
	if (la > size - 1)
		la = size - 1;
	memcpy(out, a, la);
	if (la + 1 < size) {
		out[la] = '\x1f';
		if (lb > size - la - 2)
			lb = size - la - 2;
		memcpy(out + la + 1, b, lb);
		out[la + 1 + lb] = '\0';
	} else {
		out[la] = '\0';
	}
}

static char *xdup(const char *s)
{
	return mg_xstrdup(s ? s : "");
}

/* Names longer than NAMEDATALEN-1 are truncated by PostgreSQL. */
static void ident(char *out, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > NAMELEN - 1) {
		n = NAMELEN - 1;
		/* never cut a UTF-8 character in two (pg_mbcliplen) */
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	if (n)
		memmove(out, s, n);
	out[n] = '\0';
}

/* ---- the indexes of each table ------------------------------------------ */

/* An index of a table: the object (owned by cat->indexes) and the hash of
 * its key there, which finds its slot without comparing strings. */
struct idx_ref {
	struct mg_cat_index *x;
	uint32_t hash;
};

struct idx_list {
	size_t n, cap;
	struct idx_ref v[]; /* in no particular order */
};

/* Every index of cat->indexes is in the list of key(x->schema, x->table)
 * in cat->by_table, and nothing else is: idx_link (hash: of the index's
 * key in cat->indexes) when an index enters cat->indexes or gets its new
 * schema or table, idx_unlink before it leaves or changes them. A list
 * left empty stays (the table may get indexes again: no churn). */
static void idx_link(struct mg_catalog *cat, struct mg_cat_index *x, uint32_t hash)
{
	char key[2 * NAMELEN + 8];
	void **slot;
	struct idx_list *l;

	make_key(key, sizeof(key), x->schema, x->table);
	slot = mg_strmap_ref(&cat->by_table, key);
	l = *slot;
	if (!l || l->n == l->cap) {
		size_t cap = l ? 2 * l->cap : 4;
		l = mg_xrealloc(l, sizeof(*l) + cap * sizeof(l->v[0]));
		if (!*slot)
			l->n = 0;
		l->cap = cap;
		*slot = l;
	}
	l->v[l->n].x = x;
	l->v[l->n].hash = hash;
	l->n++;
}

/* Returns the hash idx_link was given for x (0 if x was not linked). */
static uint32_t idx_unlink(struct mg_catalog *cat, const struct mg_cat_index *x)
{
	char key[2 * NAMELEN + 8];
	struct idx_list *l;

	make_key(key, sizeof(key), x->schema, x->table);
	l = mg_strmap_get(&cat->by_table, key);
	for (size_t i = 0; l && i < l->n; i++) {
		if (l->v[i].x == x) {
			uint32_t h = l->v[i].hash;
			l->v[i] = l->v[--l->n];
			return h;
		}
	}
	return 0;
}

static void idx_lists_release(struct mg_catalog *cat)
{
	for (size_t i = 0; i < cat->by_table.cap; i++)
		if (cat->by_table.v[i].key)
			free(cat->by_table.v[i].val);
	mg_strmap_release(&cat->by_table);
}

/* After a change to many indexes at once (a copy, a schema renamed or
 * dropped). */
static void idx_lists_rebuild(struct mg_catalog *cat)
{
	idx_lists_release(cat);
	for (size_t i = 0; i < cat->indexes.cap; i++)
		if (cat->indexes.v[i].key)
			idx_link(cat, cat->indexes.v[i].val, cat->indexes.v[i].hash);
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **dup_strv(char *const *v, size_t n)
{
	char **r;
	if (!n)
		return NULL;
	r = mg_xcalloc(n, sizeof(*r));
	for (size_t i = 0; i < n; i++)
		r[i] = xdup(v[i]);
	return r;
}

static void free_con(struct mg_cat_constraint *c)
{
	free(c->name);
	free_strv(c->columns, c->ncolumns);
	free(c->notnull_column);
	free(c->ref_schema);
	free(c->ref_table);
	free(c->index);
}

static void free_table(struct mg_cat_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->cols[i].name);
	free(t->cols);
	for (size_t i = 0; i < t->ncons; i++)
		free_con(&t->cons[i]);
	free(t->cons);
	free(t->schema);
	free(t->name);
	free(t->partition_of);
	free(t);
}

static void free_index(struct mg_cat_index *x)
{
	if (!x)
		return;
	free(x->schema);
	free(x->name);
	free(x->table);
	free_strv(x->columns, x->ncolumns);
	free(x);
}

static void free_type(struct mg_cat_type *t)
{
	if (!t)
		return;
	free(t->schema);
	free(t->name);
	free_strv(t->values, t->nvalues);
	free(t);
}

static void free_func(struct mg_cat_func *f)
{
	if (!f)
		return;
	free(f->schema);
	free(f->name);
	free(f);
}

struct mg_catalog *mg_catalog_new(void)
{
	struct mg_catalog *c = mg_xcalloc(1, sizeof(*c));
	mg_strmap_put(&c->schemas, "public", (void *)(uintptr_t)1);
	return c;
}

void mg_catalog_free(struct mg_catalog *cat)
{
	if (!cat)
		return;
	mg_catalog_rollback(cat); /* frees the journal's copies */
	for (size_t i = 0; i < cat->tables.cap; i++)
		if (cat->tables.v[i].key)
			free_table(cat->tables.v[i].val);
	for (size_t i = 0; i < cat->indexes.cap; i++)
		if (cat->indexes.v[i].key)
			free_index(cat->indexes.v[i].val);
	for (size_t i = 0; i < cat->types.cap; i++)
		if (cat->types.v[i].key)
			free_type(cat->types.v[i].val);
	for (size_t i = 0; i < cat->funcs.cap; i++)
		if (cat->funcs.v[i].key)
			free_func(cat->funcs.v[i].val);
	mg_strmap_release(&cat->tables);
	mg_strmap_release(&cat->indexes);
	mg_strmap_release(&cat->types);
	mg_strmap_release(&cat->funcs);
	mg_strmap_release(&cat->schemas);
	idx_lists_release(cat);
	free(cat);
}

static struct mg_cat_table *clone_table(const struct mg_cat_table *t)
{
	struct mg_cat_table *c = mg_xcalloc(1, sizeof(*c));

	*c = *t;
	c->schema = xdup(t->schema);
	c->name = xdup(t->name);
	c->partition_of = t->partition_of ? xdup(t->partition_of) : NULL;
	c->capcols = t->ncols;
	c->cols = t->ncols ? mg_xcalloc(t->ncols, sizeof(*c->cols)) : NULL;
	for (size_t i = 0; i < t->ncols; i++) {
		c->cols[i] = t->cols[i];
		c->cols[i].name = xdup(t->cols[i].name);
	}
	c->capcons = t->ncons;
	c->cons = t->ncons ? mg_xcalloc(t->ncons, sizeof(*c->cons)) : NULL;
	for (size_t i = 0; i < t->ncons; i++) {
		const struct mg_cat_constraint *s = &t->cons[i];
		struct mg_cat_constraint *d = &c->cons[i];
		*d = *s;
		d->name = xdup(s->name);
		d->columns = dup_strv(s->columns, s->ncolumns);
		d->notnull_column = s->notnull_column ? xdup(s->notnull_column) : NULL;
		d->ref_schema = s->ref_schema ? xdup(s->ref_schema) : NULL;
		d->ref_table = s->ref_table ? xdup(s->ref_table) : NULL;
		d->index = s->index ? xdup(s->index) : NULL;
	}
	return c;
}

static struct mg_cat_index *clone_index(const struct mg_cat_index *x)
{
	struct mg_cat_index *y = mg_xcalloc(1, sizeof(*y));

	*y = *x;
	y->schema = xdup(x->schema);
	y->name = xdup(x->name);
	y->table = xdup(x->table);
	y->columns = dup_strv(x->columns, x->ncolumns);
	return y;
}

static struct mg_cat_type *clone_type(const struct mg_cat_type *x)
{
	struct mg_cat_type *y = mg_xcalloc(1, sizeof(*y));

	*y = *x;
	y->schema = xdup(x->schema);
	y->name = xdup(x->name);
	y->values = dup_strv(x->values, x->nvalues);
	y->capvalues = x->nvalues;
	return y;
}

static struct mg_cat_func *clone_func(const struct mg_cat_func *x)
{
	struct mg_cat_func *y = mg_xcalloc(1, sizeof(*y));

	*y = *x;
	y->schema = xdup(x->schema);
	y->name = xdup(x->name);
	return y;
}

struct mg_catalog *mg_catalog_clone(const struct mg_catalog *cat)
{
	struct mg_catalog *c = mg_xcalloc(1, sizeof(*c));

	c->gen = cat->gen;
	for (size_t i = 0; i < cat->tables.cap; i++) {
		const struct mg_strmap_slot *s = &cat->tables.v[i];
		if (s->key)
			mg_strmap_put(&c->tables, s->key, clone_table(s->val));
	}
	for (size_t i = 0; i < cat->indexes.cap; i++) {
		const struct mg_strmap_slot *s = &cat->indexes.v[i];
		if (s->key)
			mg_strmap_put(&c->indexes, s->key, clone_index(s->val));
	}
	for (size_t i = 0; i < cat->types.cap; i++) {
		const struct mg_strmap_slot *s = &cat->types.v[i];
		if (s->key)
			mg_strmap_put(&c->types, s->key, clone_type(s->val));
	}
	for (size_t i = 0; i < cat->funcs.cap; i++) {
		const struct mg_strmap_slot *s = &cat->funcs.v[i];
		if (s->key)
			mg_strmap_put(&c->funcs, s->key, clone_func(s->val));
	}
	for (size_t i = 0; i < cat->schemas.cap; i++) {
		const struct mg_strmap_slot *s = &cat->schemas.v[i];
		if (s->key)
			mg_strmap_put(&c->schemas, s->key, s->val);
	}
	idx_lists_rebuild(c);
	return c;
}

unsigned mg_catalog_begin_script(struct mg_catalog *cat)
{
	return ++cat->gen;
}

unsigned mg_catalog_gen(const struct mg_catalog *cat)
{
	return cat->gen;
}

/* ---- savepoints: an undo journal ----------------------------------------- */

static struct mg_strmap *map_of(struct mg_catalog *cat, int m)
{
	switch (m) {
	case M_TABLES: return &cat->tables;
	case M_INDEXES: return &cat->indexes;
	case M_TYPES: return &cat->types;
	case M_FUNCS: return &cat->funcs;
	default: return &cat->schemas;
	}
}

static void *clone_obj(int m, const void *v)
{
	switch (m) {
	case M_TABLES: return clone_table(v);
	case M_INDEXES: return clone_index(v);
	case M_TYPES: return clone_type(v);
	case M_FUNCS: return clone_func(v);
	default: return (void *)v; /* schemas hold a number */
	}
}

static void free_obj(int m, void *v)
{
	switch (m) {
	case M_TABLES: free_table(v); break;
	case M_INDEXES: free_index(v); break;
	case M_TYPES: free_type(v); break;
	case M_FUNCS: free_func(v); break;
	default: break;
	}
}

/* Record key's current state before its first change under a savepoint. */
static void jsave(struct mg_catalog *cat, int m, const char *key)
{
	struct jentry *e;
	void *cur;

	if (!cat->journal || mg_strmap_get(&cat->seen[m], key))
		return;
	mg_strmap_put(&cat->seen[m], key, (void *)1);
	cur = mg_strmap_get(map_of(cat, m), key);
	MG_GROW(cat->j, cat->capj, cat->nj + 1);
	e = &cat->j[cat->nj++];
	e->m = m;
	e->key = mg_xstrdup(key);
	e->had = cur != NULL;
	e->old = cur ? clone_obj(m, cur) : NULL;
}

static void jsave_name(struct mg_catalog *cat, int m, const char *schema,
		       const char *name)
{
	char key[2 * NAMELEN + 8];

	if (!cat->journal)
		return;
	make_key(key, sizeof(key), schema, name);
	jsave(cat, m, key);
}

/* Before a change that touches everything (schema rename or drop). */
static void jsave_all(struct mg_catalog *cat)
{
	if (!cat->journal)
		return;
	for (int m = 0; m < M_N; m++) {
		struct mg_strmap *mp = map_of(cat, m);
		for (size_t i = 0; i < mp->cap; i++)
			if (mp->v[i].key)
				jsave(cat, m, mp->v[i].key);
	}
}

void mg_catalog_savepoint(struct mg_catalog *cat)
{
	if (cat->journal)
		mg_catalog_rollback(cat);
	cat->journal = true;
	cat->jgen = cat->gen;
}

void mg_catalog_rollback(struct mg_catalog *cat)
{
	if (!cat || !cat->journal)
		return;
	cat->journal = false;
	/* saved keys get their old state back */
	for (size_t i = 0; i < cat->nj; i++) {
		struct jentry *e = &cat->j[i];
		struct mg_strmap *mp = map_of(cat, e->m);
		void *cur = mg_strmap_del(mp, e->key);
		if (e->m == M_INDEXES && cur)
			idx_unlink(cat, cur);
		free_obj(e->m, cur);
		if (e->had) {
			mg_strmap_put(mp, e->key, e->old);
			if (e->m == M_INDEXES)
				idx_link(cat, e->old, mg_strmap_hash(e->key));
		}
		free(e->key);
	}
	free(cat->j);
	cat->j = NULL;
	cat->nj = cat->capj = 0;
	for (int m = 0; m < M_N; m++)
		mg_strmap_release(&cat->seen[m]);
	cat->gen = cat->jgen;
}

/* ---- queries ------------------------------------------------------------ */

const struct mg_cat_table *mg_cat_table(const struct mg_catalog *cat,
					const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];

	if (!cat || !name)
		return NULL;
	make_key(key, sizeof(key), schema, name);
	return mg_strmap_get(&cat->tables, key);
}

/* A table about to be changed (saved first under a savepoint). */
static struct mg_cat_table *table_mut(struct mg_catalog *cat, const char *schema,
				      const char *name)
{
	struct mg_cat_table *t = (struct mg_cat_table *)mg_cat_table(cat, schema, name);

	if (t)
		jsave_name(cat, M_TABLES, t->schema, t->name);
	return t;
}

const struct mg_cat_table *mg_cat_table_rv(const struct mg_catalog *cat,
					   const cJSON *rv)
{
	if (mg_node_get(rv, "RangeVar"))
		rv = mg_node_get(rv, "RangeVar");
	return mg_cat_table(cat, mg_node_str(rv, "schemaname"),
			    mg_node_str(rv, "relname"));
}

const struct mg_cat_column *mg_cat_column(const struct mg_cat_table *t,
					  const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

const struct mg_cat_constraint *mg_cat_constraint(const struct mg_cat_table *t,
						  const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->ncons; i++)
		if (!strcmp(t->cons[i].name, name))
			return &t->cons[i];
	return NULL;
}

const struct mg_cat_index *mg_cat_index(const struct mg_catalog *cat,
					const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];

	if (!cat || !name)
		return NULL;
	make_key(key, sizeof(key), schema, name);
	return mg_strmap_get(&cat->indexes, key);
}

const struct mg_cat_type *mg_cat_type(const struct mg_catalog *cat,
				      const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];

	if (!cat || !name)
		return NULL;
	make_key(key, sizeof(key), schema, name);
	return mg_strmap_get(&cat->types, key);
}

const struct mg_cat_func *mg_cat_func(const struct mg_catalog *cat,
				      const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];

	if (!cat || !name)
		return NULL;
	make_key(key, sizeof(key), schema, name);
	return mg_strmap_get(&cat->funcs, key);
}

bool mg_cat_schema_exists(const struct mg_catalog *cat, const char *name)
{
	return cat && mg_strmap_get(&cat->schemas, sch(name)) != NULL;
}

const struct mg_cat_constraint *mg_cat_notnull_check(const struct mg_cat_table *t,
						     const char *col)
{
	if (!t || !col)
		return NULL;
	for (size_t i = 0; i < t->ncons; i++) {
		const struct mg_cat_constraint *c = &t->cons[i];
		if (c->type == MG_CON_CHECK && c->valid && c->notnull_column &&
		    !strcmp(c->notnull_column, col))
			return c;
	}
	return NULL;
}

/* The slot of cat->indexes that holds r->x (SIZE_MAX: none, which the
 * invariant of idx_link rules out). */
static size_t idx_slot(const struct mg_catalog *cat, const struct idx_ref *r)
{
	size_t mask = cat->indexes.cap - 1;

	for (size_t i = r->hash & mask; cat->indexes.v[i].key; i = (i + 1) & mask)
		if (cat->indexes.v[i].val == r->x)
			return i;
	return SIZE_MAX;
}

/* The table's own indexes (cat->by_table), not a walk of every index of
 * the catalog; in the order such a walk would meet them, slot by slot of
 * cat->indexes, so *pos is the slot after the index returned last. */
const struct mg_cat_index *mg_cat_table_index_next(const struct mg_catalog *cat,
						   const struct mg_cat_table *t,
						   size_t *pos)
{
	char key[2 * NAMELEN + 8];
	const struct idx_list *l;
	const struct mg_cat_index *x = NULL;
	size_t at = SIZE_MAX;

	if (!cat || !t)
		return NULL;
	make_key(key, sizeof(key), t->schema, t->name);
	l = mg_strmap_get(&cat->by_table, key);
	for (size_t i = 0; l && i < l->n; i++) {
		size_t s = idx_slot(cat, &l->v[i]);
		if (s >= *pos && s < at) {
			at = s;
			x = l->v[i].x;
		}
	}
	*pos = x ? at + 1 : cat->indexes.cap;
	return x;
}

const struct mg_cat_index *mg_cat_index_leading(const struct mg_catalog *cat,
						const struct mg_cat_table *t,
						const char *col)
{
	size_t pos = 0;
	const struct mg_cat_index *x;

	while ((x = mg_cat_table_index_next(cat, t, &pos)))
		if (x->ncolumns && col && !strcmp(x->columns[0], col))
			return x;
	return NULL;
}

long mg_cat_enum_pos(const struct mg_cat_type *t, const char *label)
{
	if (!t || !label)
		return -1;
	for (size_t i = 0; i < t->nvalues; i++)
		if (!strcmp(t->values[i], label))
			return (long)i;
	return -1;
}

size_t mg_cat_ntables(const struct mg_catalog *cat)
{
	return cat ? cat->tables.n : 0;
}

/* ---- tree helpers ------------------------------------------------------- */

static const char *sval(const cJSON *n)
{
	return mg_node_str(mg_node_get(n, "String"), "sval");
}

/* Schema and name from a list of String nodes ([schema,] name). */
static bool qual_name(const cJSON *list, const char **schema, const char **name)
{
	const cJSON *it;
	const char *a = NULL, *b = NULL;

	*schema = NULL;
	*name = NULL;
	if (mg_node_get(list, "List"))
		list = mg_node_get(mg_node_get(list, "List"), "items");
	cJSON_ArrayForEach(it, list) {
		const char *s = sval(it);
		if (!s)
			continue;
		a = b;
		b = s;
	}
	*schema = a;
	*name = b;
	return b != NULL;
}

static const cJSON *rangevar(const cJSON *n)
{
	const cJSON *w = mg_node_get(n, "RangeVar");
	return w ? w : n;
}

/* The first column a CHECK expression mentions (for naming), or NULL. */
static const char *first_column(const cJSON *n, int depth)
{
	const cJSON *it;

	if (!n || depth > 64)
		return NULL;
	if (cJSON_IsObject(n)) {
		const cJSON *cr = mg_node_get(n, "ColumnRef");
		if (cr) {
			const char *last = NULL;
			cJSON_ArrayForEach(it, mg_node_get(cr, "fields")) {
				const char *s = sval(it);
				if (s)
					last = s;
			}
			return last;
		}
	}
	if (cJSON_IsObject(n) || cJSON_IsArray(n)) {
		cJSON_ArrayForEach(it, n) {
			const char *r = first_column(it, depth + 1);
			if (r)
				return r;
		}
	}
	return NULL;
}

/* col of CHECK (col IS NOT NULL), or NULL. */
static const char *notnull_check_column(const cJSON *expr)
{
	const cJSON *nt = mg_node_get(expr, "NullTest");
	const cJSON *cr, *it;
	const char *last = NULL;
	const char *t = mg_node_str(nt, "nulltesttype");

	if (!nt || !t || strcmp(t, "IS_NOT_NULL"))
		return NULL;
	cr = mg_node_get(mg_node_get(nt, "arg"), "ColumnRef");
	cJSON_ArrayForEach(it, mg_node_get(cr, "fields")) {
		const char *s = sval(it);
		if (!s)
			return NULL; /* A_Star */
		last = s;
	}
	return last;
}

/* PostgreSQL's ChooseRelationName, roughly: a_b_c truncated to 63. */
static void choose_name(char *out, const char *table, char *const *cols,
			size_t ncols, const char *label)
{
	char buf[256];
	size_t n;

	n = (size_t)snprintf(buf, sizeof(buf), "%s", table);
	for (size_t i = 0; i < ncols && n < sizeof(buf); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "_%s",
				      cols[i][0] ? cols[i] : "expr");
	if (n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - n, "_%s", label);
	ident(out, buf);
}

/* ---- mutation helpers --------------------------------------------------- */

static struct mg_cat_table *table_new(struct mg_catalog *cat, const char *schema,
				      const char *name, enum mg_rel_kind kind,
				      unsigned gen)
{
	struct mg_cat_table *t = mg_xcalloc(1, sizeof(*t));
	char key[2 * NAMELEN + 8];
	struct mg_cat_table *old;

	t->schema = xdup(sch(schema));
	t->name = xdup(name);
	t->kind = kind;
	t->gen = gen;
	make_key(key, sizeof(key), schema, name);
	jsave(cat, M_TABLES, key);
	old = mg_strmap_put(&cat->tables, key, t);
	free_table(old);
	return t;
}

/* Known-only-from-ALTER stub for a table created outside the migrations. */
static struct mg_cat_table *table_or_stub(struct mg_catalog *cat, const cJSON *rv)
{
	const char *schema, *name;
	struct mg_cat_table *t;

	rv = rangevar(rv);
	schema = mg_node_str(rv, "schemaname");
	name = mg_node_str(rv, "relname");
	if (!name)
		return NULL;
	t = table_mut(cat, schema, name);
	if (!t) {
		t = table_new(cat, schema, name, MG_REL_TABLE, 0);
		t->stub = true;
	}
	return t;
}

static struct mg_cat_column *col_mut(struct mg_cat_table *t, const char *name)
{
	return (struct mg_cat_column *)mg_cat_column(t, name);
}

static struct mg_cat_column *col_add(struct mg_cat_table *t, const char *name,
				     unsigned gen)
{
	struct mg_cat_column *c = col_mut(t, name);

	if (c)
		return c;
	MG_GROW(t->cols, t->capcols, t->ncols + 1);
	c = &t->cols[t->ncols++];
	memset(c, 0, sizeof(*c));
	c->name = xdup(name);
	c->gen = gen;
	return c;
}

static struct mg_cat_constraint *con_add(struct mg_cat_table *t, const char *name,
					 enum mg_con_type type, unsigned gen)
{
	struct mg_cat_constraint *c;

	for (size_t i = 0; i < t->ncons; i++) {
		if (!strcmp(t->cons[i].name, name)) { /* redefined: replace */
			free_con(&t->cons[i]);
			c = &t->cons[i];
			goto fill;
		}
	}
	MG_GROW(t->cons, t->capcons, t->ncons + 1);
	c = &t->cons[t->ncons++];
fill:
	memset(c, 0, sizeof(*c));
	c->name = xdup(name);
	c->type = type;
	c->valid = true;
	c->gen = gen;
	return c;
}

static void index_put(struct mg_catalog *cat, struct mg_cat_index *x)
{
	char key[2 * NAMELEN + 8];
	struct mg_cat_index *old;

	make_key(key, sizeof(key), x->schema, x->name);
	jsave(cat, M_INDEXES, key);
	old = mg_strmap_put(&cat->indexes, key, x);
	if (old)
		idx_unlink(cat, old);
	idx_link(cat, x, mg_strmap_hash(key));
	free_index(old);
}

static struct mg_cat_index *index_new(struct mg_catalog *cat,
				      const struct mg_cat_table *t,
				      const char *name, char *const *cols,
				      size_t ncols, unsigned gen)
{
	struct mg_cat_index *x = mg_xcalloc(1, sizeof(*x));

	x->schema = xdup(t->schema);
	x->name = xdup(name);
	x->table = xdup(t->name);
	x->columns = dup_strv(cols, ncols);
	x->ncolumns = ncols;
	x->gen = gen;
	index_put(cat, x);
	return x;
}

static void index_drop(struct mg_catalog *cat, const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];

	struct mg_cat_index *x;

	make_key(key, sizeof(key), schema, name);
	jsave(cat, M_INDEXES, key);
	x = mg_strmap_del(&cat->indexes, key);
	if (x)
		idx_unlink(cat, x);
	free_index(x);
}

/* Drop every index of a table (the table goes away or is renamed away). */
static void table_indexes_drop(struct mg_catalog *cat, const struct mg_cat_table *t)
{
	size_t pos = 0;
	const struct mg_cat_index *x;
	char **names = NULL;
	size_t n = 0, cap = 0;

	while ((x = mg_cat_table_index_next(cat, t, &pos))) {
		MG_GROW(names, cap, n + 1);
		names[n++] = xdup(x->name);
	}
	for (size_t i = 0; i < n; i++)
		index_drop(cat, t->schema, names[i]);
	free_strv(names, n);
}

static void table_drop(struct mg_catalog *cat, const char *schema, const char *name)
{
	char key[2 * NAMELEN + 8];
	struct mg_cat_table *t = table_mut(cat, schema, name);

	if (!t)
		return;
	table_indexes_drop(cat, t);
	make_key(key, sizeof(key), schema, name);
	mg_strmap_del(&cat->tables, key);
	free_table(t);
}

/* Strings of a list of String nodes (or IndexElem names) into an owned
 * vector. */
static char **names_of(const cJSON *list, size_t *n)
{
	const cJSON *it;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	cJSON_ArrayForEach(it, list) {
		const char *s = sval(it);
		const cJSON *ie = mg_node_get(it, "IndexElem");
		char buf[NAMELEN];
		if (ie)
			s = mg_node_str(ie, "name");
		if (!s && !ie)
			continue;
		ident(buf, s ? s : "");
		MG_GROW(v, cap, *n + 1);
		v[(*n)++] = xdup(buf);
	}
	return v;
}

/* ---- applying CREATE TABLE pieces --------------------------------------- */

static void set_default(const struct mg_catalog *cat, struct mg_cat_column *c,
			const cJSON *expr)
{
	struct mg_vol_result vr;

	c->has_default = expr != NULL;
	c->default_volatile = false;
	if (expr) {
		mg_volatility_expr(cat, expr, &vr);
		c->default_volatile = vr.vol == MG_VOL_VOLATILE;
	}
}

static void add_constraint(struct mg_catalog *cat, struct mg_cat_table *t,
			   const cJSON *con, const char *colname, bool in_create,
			   unsigned gen);

static void apply_column_def(struct mg_catalog *cat, struct mg_cat_table *t,
			     const cJSON *cd, bool in_create, unsigned gen)
{
	const char *name = mg_node_str(cd, "colname");
	struct mg_cat_column *c;
	const cJSON *it;
	char nm[NAMELEN];

	if (!name)
		return;
	ident(nm, name);
	c = col_add(t, nm, gen);
	mg_type_from_node(mg_node_get(cd, "typeName"), &c->type);
	if (c->type.serial) {
		char full[NAMELEN * 2 + 8], seq[NAMELEN];
		snprintf(full, sizeof(full), "%s_%s_seq", t->name, nm);
		c->not_null = true;
		c->has_default = true;
		c->default_volatile = true; /* nextval() */
		ident(seq, full);
		table_new(cat, t->schema, seq, MG_REL_SEQUENCE, gen);
		c = col_mut(t, nm); /* table_new may not move t, but be safe */
		if (!c)
			return;
	}
	if (mg_node_bool(cd, "is_not_null"))
		c->not_null = true;
	if (mg_node_get(cd, "raw_default"))
		set_default(cat, c, mg_node_get(cd, "raw_default"));
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *k = mg_node_get(it, "Constraint");
		const char *ct = mg_node_str(k, "contype");
		if (!ct)
			continue;
		c = col_mut(t, nm);
		if (!c)
			return;
		if (!strcmp(ct, "CONSTR_NOTNULL"))
			c->not_null = true;
		else if (!strcmp(ct, "CONSTR_NULL"))
			c->not_null = false;
		else if (!strcmp(ct, "CONSTR_DEFAULT"))
			set_default(cat, c, mg_node_get(k, "raw_expr"));
		else if (!strcmp(ct, "CONSTR_IDENTITY")) {
			c->identity = true;
			c->not_null = true;
		} else if (!strcmp(ct, "CONSTR_GENERATED"))
			c->generated = true;
		else
			add_constraint(cat, t, k, nm, in_create, gen);
	}
}

static void add_constraint(struct mg_catalog *cat, struct mg_cat_table *t,
			   const cJSON *con, const char *colname, bool in_create,
			   unsigned gen)
{
	const char *ct = mg_node_str(con, "contype");
	const char *conname = mg_node_str(con, "conname");
	enum mg_con_type type;
	const char *label;
	char **cols = NULL;
	size_t ncols = 0;
	char name[NAMELEN];
	struct mg_cat_constraint *c;

	if (!ct)
		return;
	if (!strcmp(ct, "CONSTR_CHECK")) {
		type = MG_CON_CHECK;
		label = "check";
	} else if (!strcmp(ct, "CONSTR_FOREIGN")) {
		type = MG_CON_FOREIGN;
		label = "fkey";
	} else if (!strcmp(ct, "CONSTR_UNIQUE")) {
		type = MG_CON_UNIQUE;
		label = "key";
	} else if (!strcmp(ct, "CONSTR_PRIMARY")) {
		type = MG_CON_PRIMARY;
		label = "pkey";
	} else if (!strcmp(ct, "CONSTR_EXCLUSION")) {
		type = MG_CON_EXCLUSION;
		label = "excl";
	} else if (!strcmp(ct, "CONSTR_NOTNULL") && colname) {
		struct mg_cat_column *col = col_mut(t, colname);
		if (col)
			col->not_null = true;
		return;
	} else {
		return;
	}
	if (colname) {
		cols = mg_xcalloc(1, sizeof(*cols));
		cols[0] = xdup(colname);
		ncols = 1;
	} else if (type == MG_CON_FOREIGN) {
		cols = names_of(mg_node_get(con, "fk_attrs"), &ncols);
	} else if (type == MG_CON_EXCLUSION) {
		const cJSON *it;
		size_t cap = 0;
		cJSON_ArrayForEach(it, mg_node_get(con, "exclusions")) {
			/* [IndexElem, [op]] pairs */
			const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
			const cJSON *ie = mg_node_get(cJSON_IsArray(items) ? items->child : NULL,
						      "IndexElem");
			const char *s = mg_node_str(ie, "name");
			MG_GROW(cols, cap, ncols + 1);
			cols[ncols++] = xdup(s ? s : "");
		}
	} else if (type != MG_CON_CHECK) {
		cols = names_of(mg_node_get(con, "keys"), &ncols);
	}
	if (conname) {
		ident(name, conname);
	} else if (type == MG_CON_PRIMARY) {
		choose_name(name, t->name, NULL, 0, "pkey");
	} else if (type == MG_CON_CHECK) {
		const char *fc = colname ? colname : first_column(mg_node_get(con, "raw_expr"), 0);
		char *one[1];
		one[0] = (char *)(fc ? fc : "");
		choose_name(name, t->name, one, fc ? 1 : 0, label);
	} else {
		choose_name(name, t->name, cols, ncols, label);
	}
	c = con_add(t, name, type, gen);
	c->columns = cols;
	c->ncolumns = ncols;
	c->valid = in_create || !mg_node_bool(con, "skip_validation");
	if (type == MG_CON_CHECK) {
		const char *nn = notnull_check_column(mg_node_get(con, "raw_expr"));
		if (nn) {
			char b[NAMELEN];
			ident(b, nn);
			c->notnull_column = xdup(b);
		}
	} else if (type == MG_CON_FOREIGN) {
		const cJSON *pk = rangevar(mg_node_get(con, "pktable"));
		c->ref_schema = xdup(sch(mg_node_str(pk, "schemaname")));
		c->ref_table = xdup(mg_node_str(pk, "relname"));
	} else if (type == MG_CON_PRIMARY || type == MG_CON_UNIQUE ||
		   type == MG_CON_EXCLUSION) {
		const char *using_index = mg_node_str(con, "indexname");
		struct mg_cat_index *x;
		if (using_index) {
			/* ADD ... USING INDEX: the index becomes the constraint's
			 * and is renamed to it */
			const struct mg_cat_index *old = mg_cat_index(cat, t->schema, using_index);
			char **ocols = NULL;
			size_t on = 0;
			if (old) {
				ocols = dup_strv(old->columns, old->ncolumns);
				on = old->ncolumns;
				index_drop(cat, t->schema, using_index);
			}
			x = index_new(cat, t, name, ocols, on, gen);
			free_strv(c->columns, c->ncolumns);
			c->columns = ocols;
			c->ncolumns = on;
		} else {
			x = index_new(cat, t, name, cols, ncols, gen);
		}
		x->unique = type != MG_CON_EXCLUSION;
		x->primary = type == MG_CON_PRIMARY;
		c->index = xdup(name);
		if (type == MG_CON_PRIMARY) {
			for (size_t i = 0; i < c->ncolumns; i++) {
				struct mg_cat_column *col = col_mut(t, c->columns[i]);
				if (col)
					col->not_null = true;
			}
		}
	}
}

static void apply_create(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const cJSON *rv = rangevar(mg_node_get(n, "relation"));
	const char *schema = mg_node_str(rv, "schemaname");
	const char *name = mg_node_str(rv, "relname");
	const char *pers = mg_node_str(rv, "relpersistence");
	struct mg_cat_table *t;
	const cJSON *it;
	char nm[NAMELEN];

	if (!name)
		return;
	ident(nm, name);
	if (mg_node_bool(n, "if_not_exists") && mg_cat_table(cat, schema, nm))
		return;
	t = table_new(cat, schema, nm, MG_REL_TABLE, gen);
	t->unlogged = pers && !strcmp(pers, "u");
	t->temp = pers && !strcmp(pers, "t");
	t->partitioned = mg_node_get(n, "partspec") != NULL;
	/* PARTITION OF / INHERITS: the parent's columns come first */
	cJSON_ArrayForEach(it, mg_node_get(n, "inhRelations")) {
		const struct mg_cat_table *p = mg_cat_table_rv(cat, it);
		if (!p || p == t)
			continue;
		for (size_t i = 0; i < p->ncols; i++) {
			struct mg_cat_column *c = col_add(t, p->cols[i].name, gen);
			char *keep = c->name;
			*c = p->cols[i];
			c->name = keep;
			c->gen = gen;
		}
		if (mg_node_get(n, "partbound") && !t->partition_of)
			t->partition_of = mg_xasprintf("%s.%s", p->schema, p->name);
	}
	cJSON_ArrayForEach(it, mg_node_get(n, "tableElts")) {
		const cJSON *cd = mg_node_get(it, "ColumnDef");
		const cJSON *con = mg_node_get(it, "Constraint");
		const cJSON *like = mg_node_get(it, "TableLikeClause");
		if (cd) {
			apply_column_def(cat, t, cd, true, gen);
		} else if (con) {
			add_constraint(cat, t, con, NULL, true, gen);
		} else if (like) {
			const struct mg_cat_table *src =
				mg_cat_table_rv(cat, mg_node_get(like, "relation"));
			if (!src || src == t)
				continue;
			for (size_t i = 0; i < src->ncols; i++) {
				struct mg_cat_column *c = col_add(t, src->cols[i].name, gen);
				char *keep = c->name;
				*c = src->cols[i];
				c->name = keep;
				c->gen = gen;
			}
		}
	}
}

static void apply_create_as(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const cJSON *into = mg_node_get(n, "into");
	const cJSON *rv = rangevar(mg_node_get(into, "rel"));
	const char *name = mg_node_str(rv, "relname");
	const char *ot = mg_node_str(n, "objtype");
	struct mg_cat_table *t;
	const cJSON *it;

	if (!name)
		return;
	if (mg_node_bool(n, "if_not_exists") &&
	    mg_cat_table(cat, mg_node_str(rv, "schemaname"), name))
		return;
	t = table_new(cat, mg_node_str(rv, "schemaname"), name,
		      ot && !strcmp(ot, "OBJECT_MATVIEW") ? MG_REL_MATVIEW : MG_REL_TABLE,
		      gen);
	cJSON_ArrayForEach(it, mg_node_get(into, "colNames")) {
		const char *s = sval(it);
		if (s)
			col_add(t, s, gen);
	}
	if (!t->ncols) {
		/* SELECT list names, as far as they are plain */
		const cJSON *sel = mg_node_get(mg_node_get(n, "query"), "SelectStmt");
		cJSON_ArrayForEach(it, mg_node_get(sel, "targetList")) {
			const cJSON *rt = mg_node_get(it, "ResTarget");
			const char *s = mg_node_str(rt, "name");
			if (!s) {
				const cJSON *cr = mg_node_get(mg_node_get(rt, "val"), "ColumnRef");
				const cJSON *f;
				cJSON_ArrayForEach(f, mg_node_get(cr, "fields"))
					if (sval(f))
						s = sval(f);
			}
			if (s)
				col_add(t, s, gen);
		}
	}
}

/* ---- ALTER TABLE -------------------------------------------------------- */

static void drop_column(struct mg_catalog *cat, struct mg_cat_table *t,
			const char *name)
{
	size_t i, w;
	size_t pos = 0;
	const struct mg_cat_index *x;
	char **gone = NULL;
	size_t ngone = 0, cap = 0;

	for (i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i].name, name))
			break;
	if (i == t->ncols)
		return;
	free(t->cols[i].name);
	memmove(&t->cols[i], &t->cols[i + 1], (t->ncols - i - 1) * sizeof(t->cols[0]));
	t->ncols--;
	/* constraints and indexes that use the column go with it */
	for (i = 0, w = 0; i < t->ncons; i++) {
		struct mg_cat_constraint *c = &t->cons[i];
		bool uses = c->notnull_column && !strcmp(c->notnull_column, name);
		for (size_t k = 0; k < c->ncolumns && !uses; k++)
			uses = !strcmp(c->columns[k], name);
		if (uses) {
			free_con(c);
			continue;
		}
		t->cons[w++] = *c;
	}
	t->ncons = w;
	while ((x = mg_cat_table_index_next(cat, t, &pos))) {
		bool uses = false;
		for (size_t k = 0; k < x->ncolumns && !uses; k++)
			uses = !strcmp(x->columns[k], name);
		if (uses) {
			MG_GROW(gone, cap, ngone + 1);
			gone[ngone++] = xdup(x->name);
		}
	}
	for (i = 0; i < ngone; i++)
		index_drop(cat, t->schema, gone[i]);
	free_strv(gone, ngone);
}

static void drop_constraint(struct mg_catalog *cat, struct mg_cat_table *t,
			    const char *name)
{
	for (size_t i = 0; i < t->ncons; i++) {
		struct mg_cat_constraint *c = &t->cons[i];
		if (strcmp(c->name, name))
			continue;
		if (c->index)
			index_drop(cat, t->schema, c->index);
		free_con(c);
		memmove(c, c + 1, (t->ncons - i - 1) * sizeof(*c));
		t->ncons--;
		return;
	}
}

static void apply_alter_table(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const char *ot = mg_node_str(n, "objtype");
	const cJSON *it;
	struct mg_cat_table *t;

	if (ot && strcmp(ot, "OBJECT_TABLE") && strcmp(ot, "OBJECT_FOREIGN_TABLE"))
		return; /* ALTER INDEX / VIEW / SEQUENCE options: nothing to track */
	if (!mg_node_get(n, "cmds"))
		return;
	t = table_or_stub(cat, mg_node_get(n, "relation"));
	if (!t)
		return;
	cJSON_ArrayForEach(it, mg_node_get(n, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *st = mg_node_str(cmd, "subtype");
		const char *name = mg_node_str(cmd, "name");
		const cJSON *def = mg_node_get(cmd, "def");
		struct mg_cat_column *c = name ? col_mut(t, name) : NULL;

		if (!st)
			continue;
		if (!strcmp(st, "AT_AddColumn")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			const char *cn = mg_node_str(cd, "colname");
			if (cn && mg_node_bool(cmd, "missing_ok") && col_mut(t, cn))
				continue;
			if (cn && col_mut(t, cn))
				drop_column(cat, t, cn); /* redefined */
			apply_column_def(cat, t, cd, false, gen);
		} else if (!strcmp(st, "AT_DropColumn")) {
			if (name)
				drop_column(cat, t, name);
		} else if (!strcmp(st, "AT_AlterColumnType")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			if (!c && name)
				c = col_add(t, name, 0);
			if (c)
				mg_type_from_node(mg_node_get(cd, "typeName"), &c->type);
		} else if (!strcmp(st, "AT_ColumnDefault")) {
			if (!c && name)
				c = col_add(t, name, 0);
			if (c)
				set_default(cat, c, def);
		} else if (!strcmp(st, "AT_SetNotNull")) {
			if (!c && name)
				c = col_add(t, name, 0);
			if (c)
				c->not_null = true;
		} else if (!strcmp(st, "AT_DropNotNull")) {
			if (!c && name)
				c = col_add(t, name, 0);
			if (c)
				c->not_null = false;
		} else if (!strcmp(st, "AT_AddIdentity")) {
			if (c) {
				c->identity = true;
				c->not_null = true;
			}
		} else if (!strcmp(st, "AT_DropIdentity")) {
			if (c)
				c->identity = false;
		} else if (!strcmp(st, "AT_DropExpression")) {
			if (c)
				c->generated = false;
		} else if (!strcmp(st, "AT_AddConstraint")) {
			add_constraint(cat, t, mg_node_get(def, "Constraint"), NULL,
				       false, gen);
		} else if (!strcmp(st, "AT_DropConstraint")) {
			if (name)
				drop_constraint(cat, t, name);
		} else if (!strcmp(st, "AT_ValidateConstraint")) {
			struct mg_cat_constraint *k =
				(struct mg_cat_constraint *)mg_cat_constraint(t, name);
			if (k)
				k->valid = true;
		} else if (!strcmp(st, "AT_SetLogged")) {
			t->unlogged = false;
		} else if (!strcmp(st, "AT_SetUnLogged")) {
			t->unlogged = true;
		}
		t = table_or_stub(cat, mg_node_get(n, "relation"));
		if (!t)
			return;
	}
}

/* ---- RENAME / SET SCHEMA ------------------------------------------------ */

static void rename_relation(struct mg_catalog *cat, const char *schema,
			    const char *oldname, const char *newschema,
			    const char *newname)
{
	char key[2 * NAMELEN + 8];
	struct mg_cat_table *t = table_mut(cat, schema, oldname);
	char nn[NAMELEN];
	size_t pos = 0;
	struct mg_cat_index *x;

	if (!t) {
		/* maybe an index (ALTER TABLE ... RENAME works on indexes too) */
		const struct mg_cat_index *ix = mg_cat_index(cat, schema, oldname);
		if (ix && newname) {
			struct mg_cat_table *owner = table_mut(cat, ix->schema, ix->table);
			char *on = xdup(oldname);
			struct mg_cat_index *copy;
			make_key(key, sizeof(key), schema, oldname);
			jsave(cat, M_INDEXES, key);
			copy = mg_strmap_del(&cat->indexes, key);
			idx_unlink(cat, copy);
			free(copy->name);
			ident(nn, newname);
			copy->name = xdup(nn);
			index_put(cat, copy);
			for (size_t i = 0; owner && i < owner->ncons; i++)
				if (owner->cons[i].index && !strcmp(owner->cons[i].index, on)) {
					free(owner->cons[i].index);
					owner->cons[i].index = xdup(nn);
					free(owner->cons[i].name);
					owner->cons[i].name = xdup(nn);
				}
			free(on);
		}
		return;
	}
	if (!newname)
		newname = t->name;
	ident(nn, newname);
	make_key(key, sizeof(key), schema, oldname);
	mg_strmap_del(&cat->tables, key);
	/* indexes follow their table */
	while ((x = (struct mg_cat_index *)mg_cat_table_index_next(cat, t, &pos))) {
		uint32_t h;
		jsave_name(cat, M_INDEXES, x->schema, x->name);
		h = idx_unlink(cat, x);
		free(x->table);
		x->table = xdup(nn);
		if (newschema && strcmp(x->schema, sch(newschema))) {
			make_key(key, sizeof(key), x->schema, x->name);
			mg_strmap_del(&cat->indexes, key);
			free(x->schema);
			x->schema = xdup(sch(newschema));
			index_put(cat, x); /* links it */
			pos = 0; /* the table changed under us: restart */
		} else {
			idx_link(cat, x, h); /* same key in cat->indexes */
		}
	}
	/* foreign keys elsewhere that point here */
	for (size_t i = 0; i < cat->tables.cap; i++) {
		struct mg_cat_table *o = cat->tables.v[i].key ? cat->tables.v[i].val : NULL;
		for (size_t k = 0; o && k < o->ncons; k++) {
			struct mg_cat_constraint *c = &o->cons[k];
			if (c->type == MG_CON_FOREIGN && c->ref_table &&
			    !strcmp(c->ref_table, t->name) &&
			    !strcmp(sch(c->ref_schema), t->schema)) {
				jsave_name(cat, M_TABLES, o->schema, o->name);
				free(c->ref_table);
				c->ref_table = xdup(nn);
				if (newschema) {
					free(c->ref_schema);
					c->ref_schema = xdup(sch(newschema));
				}
			}
		}
	}
	free(t->name);
	t->name = xdup(nn);
	if (newschema) {
		free(t->schema);
		t->schema = xdup(sch(newschema));
	}
	make_key(key, sizeof(key), t->schema, t->name);
	jsave(cat, M_TABLES, key);
	free_table(mg_strmap_put(&cat->tables, key, t));
}

static void rename_column(struct mg_catalog *cat, struct mg_cat_table *t,
			  const char *from, const char *to)
{
	struct mg_cat_column *c = col_mut(t, from);
	size_t pos = 0;
	struct mg_cat_index *x;
	char nn[NAMELEN];

	ident(nn, to);
	if (c) {
		free(c->name);
		c->name = xdup(nn);
	} else {
		col_add(t, nn, 0);
	}
	for (size_t i = 0; i < t->ncons; i++) {
		struct mg_cat_constraint *k = &t->cons[i];
		for (size_t j = 0; j < k->ncolumns; j++)
			if (!strcmp(k->columns[j], from)) {
				free(k->columns[j]);
				k->columns[j] = xdup(nn);
			}
		if (k->notnull_column && !strcmp(k->notnull_column, from)) {
			free(k->notnull_column);
			k->notnull_column = xdup(nn);
		}
	}
	while ((x = (struct mg_cat_index *)mg_cat_table_index_next(cat, t, &pos)))
		for (size_t j = 0; j < x->ncolumns; j++)
			if (!strcmp(x->columns[j], from)) {
				jsave_name(cat, M_INDEXES, x->schema, x->name);
				free(x->columns[j]);
				x->columns[j] = xdup(nn);
			}
}

static void rename_type(struct mg_catalog *cat, const char *schema,
			const char *name, const char *newschema, const char *newname)
{
	char key[2 * NAMELEN + 8];
	struct mg_cat_type *ty;
	char nn[NAMELEN];

	make_key(key, sizeof(key), schema, name);
	if (!mg_strmap_get(&cat->types, key))
		return;
	jsave(cat, M_TYPES, key);
	ty = mg_strmap_del(&cat->types, key);
	ident(nn, newname ? newname : ty->name);
	/* columns of that type follow the rename */
	for (size_t i = 0; i < cat->tables.cap; i++) {
		struct mg_cat_table *o = cat->tables.v[i].key ? cat->tables.v[i].val : NULL;
		for (size_t k = 0; o && k < o->ncols; k++) {
			struct mg_type *tp = &o->cols[k].type;
			if (!strcmp(tp->name, ty->name) &&
			    !strcmp(sch(tp->schema), ty->schema)) {
				jsave_name(cat, M_TABLES, o->schema, o->name);
				snprintf(tp->name, sizeof(tp->name), "%s", nn);
				if (newschema || tp->schema[0])
					snprintf(tp->schema, sizeof(tp->schema), "%s",
						 newschema ? newschema : ty->schema);
			}
		}
	}
	free(ty->name);
	ty->name = xdup(nn);
	if (newschema) {
		free(ty->schema);
		ty->schema = xdup(sch(newschema));
	}
	make_key(key, sizeof(key), ty->schema, ty->name);
	jsave(cat, M_TYPES, key);
	free_type(mg_strmap_put(&cat->types, key, ty));
}

static void rename_schema(struct mg_catalog *cat, const char *from, const char *to)
{
	struct mg_strmap *maps[] = { &cat->tables, &cat->indexes, &cat->types,
				     &cat->funcs };

	jsave_all(cat);
	jsave(cat, M_SCHEMAS, to);
	mg_strmap_del(&cat->schemas, from);
	mg_strmap_put(&cat->schemas, to, (void *)(uintptr_t)(cat->gen + 1));
	for (size_t m = 0; m < 4; m++) {
		struct mg_strmap old = *maps[m];
		memset(maps[m], 0, sizeof(*maps[m]));
		for (size_t i = 0; i < old.cap; i++) {
			char key[2 * NAMELEN + 8];
			char **schemap, **namep;
			if (!old.v[i].key)
				continue;
			if (m == 0) {
				struct mg_cat_table *t = old.v[i].val;
				schemap = &t->schema;
				namep = &t->name;
			} else if (m == 1) {
				struct mg_cat_index *x = old.v[i].val;
				schemap = &x->schema;
				namep = &x->name;
			} else if (m == 2) {
				struct mg_cat_type *x = old.v[i].val;
				schemap = &x->schema;
				namep = &x->name;
			} else {
				struct mg_cat_func *x = old.v[i].val;
				schemap = &x->schema;
				namep = &x->name;
			}
			if (!strcmp(*schemap, from)) {
				free(*schemap);
				*schemap = xdup(to);
			}
			make_key(key, sizeof(key), *schemap, *namep);
			jsave(cat, (int)m, key); /* a new key: restored as absent */
			mg_strmap_put(maps[m], key, old.v[i].val);
			free(old.v[i].key);
		}
		free(old.v);
	}
	idx_lists_rebuild(cat);
}

static void apply_rename(struct mg_catalog *cat, const cJSON *n)
{
	const char *rt = mg_node_str(n, "renameType");
	const char *newname = mg_node_str(n, "newname");
	const char *sub = mg_node_str(n, "subname");
	const cJSON *rv = rangevar(mg_node_get(n, "relation"));
	const char *schema = mg_node_str(rv, "schemaname");
	const char *rel = mg_node_str(rv, "relname");

	if (!rt || !newname)
		return;
	if (!strcmp(rt, "OBJECT_TABLE") || !strcmp(rt, "OBJECT_VIEW") ||
	    !strcmp(rt, "OBJECT_MATVIEW") || !strcmp(rt, "OBJECT_SEQUENCE") ||
	    !strcmp(rt, "OBJECT_FOREIGN_TABLE") || !strcmp(rt, "OBJECT_INDEX")) {
		if (rel)
			rename_relation(cat, schema, rel, NULL, newname);
	} else if (!strcmp(rt, "OBJECT_COLUMN")) {
		struct mg_cat_table *t;
		if (!rel || !sub)
			return;
		t = table_or_stub(cat, rv);
		if (t)
			rename_column(cat, t, sub, newname);
	} else if (!strcmp(rt, "OBJECT_TABCONSTRAINT")) {
		struct mg_cat_table *t = rel ? table_mut(cat, schema, rel) : NULL;
		struct mg_cat_constraint *k =
			(struct mg_cat_constraint *)mg_cat_constraint(t, sub);
		char nn[NAMELEN];
		if (!k)
			return;
		ident(nn, newname);
		if (k->index) {
			rename_relation(cat, t->schema, k->index, NULL, nn);
			k = (struct mg_cat_constraint *)mg_cat_constraint(t, sub);
			if (!k)
				return;
		}
		free(k->name);
		k->name = xdup(nn);
	} else if (!strcmp(rt, "OBJECT_TYPE") || !strcmp(rt, "OBJECT_DOMAIN")) {
		const char *ts, *tn;
		if (qual_name(mg_node_get(n, "object"), &ts, &tn))
			rename_type(cat, ts, tn, NULL, newname);
	} else if (!strcmp(rt, "OBJECT_SCHEMA")) {
		if (sub)
			rename_schema(cat, sub, newname);
	}
}

static void apply_set_schema(struct mg_catalog *cat, const cJSON *n)
{
	const char *ot = mg_node_str(n, "objectType");
	const char *ns = mg_node_str(n, "newschema");
	const cJSON *rv = rangevar(mg_node_get(n, "relation"));

	if (!ot || !ns)
		return;
	if (!strcmp(ot, "OBJECT_TYPE") || !strcmp(ot, "OBJECT_DOMAIN")) {
		const char *ts, *tn;
		const cJSON *obj = mg_node_get(n, "object");
		if (mg_node_get(obj, "TypeName"))
			obj = mg_node_get(mg_node_get(obj, "TypeName"), "names");
		if (qual_name(obj, &ts, &tn))
			rename_type(cat, ts, tn, ns, NULL);
	} else if (mg_node_str(rv, "relname")) {
		rename_relation(cat, mg_node_str(rv, "schemaname"),
				mg_node_str(rv, "relname"), ns, NULL);
	}
}

/* ---- DROP --------------------------------------------------------------- */

static void drop_schema(struct mg_catalog *cat, const char *name)
{
	struct mg_strmap *maps[] = { &cat->tables, &cat->indexes, &cat->types,
				     &cat->funcs };

	jsave_all(cat);
	mg_strmap_del(&cat->schemas, name);
	for (size_t m = 0; m < 4; m++) {
		struct mg_strmap old = *maps[m];
		memset(maps[m], 0, sizeof(*maps[m]));
		for (size_t i = 0; i < old.cap; i++) {
			const char *s;
			if (!old.v[i].key)
				continue;
			s = m == 0 ? ((struct mg_cat_table *)old.v[i].val)->schema :
			    m == 1 ? ((struct mg_cat_index *)old.v[i].val)->schema :
			    m == 2 ? ((struct mg_cat_type *)old.v[i].val)->schema :
				     ((struct mg_cat_func *)old.v[i].val)->schema;
			if (!strcmp(s, name)) {
				if (m == 0)
					free_table(old.v[i].val);
				else if (m == 1)
					free_index(old.v[i].val);
				else if (m == 2)
					free_type(old.v[i].val);
				else
					free_func(old.v[i].val);
			} else {
				mg_strmap_put(maps[m], old.v[i].key, old.v[i].val);
			}
			free(old.v[i].key);
		}
		free(old.v);
	}
	idx_lists_rebuild(cat);
}

static void apply_drop(struct mg_catalog *cat, const cJSON *n)
{
	const char *rt = mg_node_str(n, "removeType");
	const cJSON *it;
	char key[2 * NAMELEN + 8];

	if (!rt)
		return;
	cJSON_ArrayForEach(it, mg_node_get(n, "objects")) {
		const char *schema = NULL, *name = NULL;
		if (!strcmp(rt, "OBJECT_TABLE") || !strcmp(rt, "OBJECT_VIEW") ||
		    !strcmp(rt, "OBJECT_MATVIEW") || !strcmp(rt, "OBJECT_SEQUENCE") ||
		    !strcmp(rt, "OBJECT_FOREIGN_TABLE")) {
			if (qual_name(it, &schema, &name))
				table_drop(cat, schema, name);
		} else if (!strcmp(rt, "OBJECT_INDEX")) {
			if (qual_name(it, &schema, &name)) {
				const struct mg_cat_index *x = mg_cat_index(cat, schema, name);
				if (x) {
					struct mg_cat_table *t = table_mut(cat, x->schema, x->table);
					for (size_t i = 0; t && i < t->ncons; i++)
						if (t->cons[i].index &&
						    !strcmp(t->cons[i].index, name)) {
							drop_constraint(cat, t, t->cons[i].name);
							break;
						}
				}
				index_drop(cat, schema, name);
			}
		} else if (!strcmp(rt, "OBJECT_TYPE") || !strcmp(rt, "OBJECT_DOMAIN")) {
			const cJSON *tn = mg_node_get(it, "TypeName");
			if (qual_name(mg_node_get(tn, "names"), &schema, &name)) {
				make_key(key, sizeof(key), schema, name);
				jsave(cat, M_TYPES, key);
				free_type(mg_strmap_del(&cat->types, key));
			}
		} else if (!strcmp(rt, "OBJECT_FUNCTION") ||
			   !strcmp(rt, "OBJECT_PROCEDURE") ||
			   !strcmp(rt, "OBJECT_ROUTINE")) {
			const cJSON *ow = mg_node_get(it, "ObjectWithArgs");
			if (qual_name(mg_node_get(ow, "objname"), &schema, &name)) {
				make_key(key, sizeof(key), schema, name);
				jsave(cat, M_FUNCS, key);
				free_func(mg_strmap_del(&cat->funcs, key));
			}
		} else if (!strcmp(rt, "OBJECT_SCHEMA")) {
			const char *s = sval(it);
			if (s)
				drop_schema(cat, s);
			if (s && !strcmp(s, "public")) {
				jsave(cat, M_SCHEMAS, "public");
				mg_strmap_put(&cat->schemas, "public", (void *)(uintptr_t)1);
			}
		}
	}
}

/* ---- other statements --------------------------------------------------- */

static void apply_index(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const cJSON *rv = rangevar(mg_node_get(n, "relation"));
	const char *idx = mg_node_str(n, "idxname");
	struct mg_cat_table *t;
	char **cols;
	size_t ncols;
	char name[NAMELEN];
	struct mg_cat_index *x;

	if (!mg_node_str(rv, "relname"))
		return;
	t = table_or_stub(cat, rv);
	if (!t)
		return;
	cols = names_of(mg_node_get(n, "indexParams"), &ncols);
	if (idx)
		ident(name, idx);
	else
		choose_name(name, t->name, cols, ncols, "idx");
	if (mg_node_bool(n, "if_not_exists") && mg_cat_index(cat, t->schema, name)) {
		free_strv(cols, ncols);
		return;
	}
	x = index_new(cat, t, name, cols, ncols, gen);
	free_strv(cols, ncols);
	x->unique = mg_node_bool(n, "unique");
	x->primary = mg_node_bool(n, "primary");
	x->partial = mg_node_get(n, "whereClause") != NULL;
}

static struct mg_cat_type *type_new(struct mg_catalog *cat, const char *schema,
				    const char *name, enum mg_type_kind kind,
				    unsigned gen)
{
	struct mg_cat_type *t = mg_xcalloc(1, sizeof(*t));
	char key[2 * NAMELEN + 8];
	char nm[NAMELEN];

	ident(nm, name);
	t->schema = xdup(sch(schema));
	t->name = xdup(nm);
	t->kind = kind;
	t->gen = gen;
	make_key(key, sizeof(key), schema, nm);
	jsave(cat, M_TYPES, key);
	free_type(mg_strmap_put(&cat->types, key, t));
	return t;
}

static void apply_enum(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const char *schema, *name;
	struct mg_cat_type *t;
	const cJSON *it;

	if (!qual_name(mg_node_get(n, "typeName"), &schema, &name))
		return;
	t = type_new(cat, schema, name, MG_TYPE_ENUM, gen);
	cJSON_ArrayForEach(it, mg_node_get(n, "vals")) {
		const char *s = sval(it);
		if (!s)
			continue;
		MG_GROW(t->values, t->capvalues, t->nvalues + 1);
		t->values[t->nvalues++] = xdup(s);
	}
}

static void apply_alter_enum(struct mg_catalog *cat, const cJSON *n)
{
	const char *schema, *name;
	const char *nv = mg_node_str(n, "newVal");
	const char *old = mg_node_str(n, "oldVal");
	const char *nb = mg_node_str(n, "newValNeighbor");
	struct mg_cat_type *t;
	long at;

	if (!qual_name(mg_node_get(n, "typeName"), &schema, &name) || !nv)
		return;
	t = (struct mg_cat_type *)mg_cat_type(cat, schema, name);
	if (!t || t->kind != MG_TYPE_ENUM)
		return;
	jsave_name(cat, M_TYPES, t->schema, t->name);
	if (old) { /* RENAME VALUE */
		at = mg_cat_enum_pos(t, old);
		if (at >= 0) {
			free(t->values[at]);
			t->values[at] = xdup(nv);
		}
		return;
	}
	if (mg_cat_enum_pos(t, nv) >= 0)
		return; /* IF NOT EXISTS, or an error at run time */
	at = (long)t->nvalues;
	if (nb) {
		long p = mg_cat_enum_pos(t, nb);
		if (p >= 0)
			at = mg_node_bool(n, "newValIsAfter") ? p + 1 : p;
	}
	MG_GROW(t->values, t->capvalues, t->nvalues + 1);
	memmove(&t->values[at + 1], &t->values[at],
		(t->nvalues - (size_t)at) * sizeof(t->values[0]));
	t->values[at] = xdup(nv);
	t->nvalues++;
}

static void apply_function(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const char *schema, *name;
	struct mg_cat_func *f;
	const cJSON *it;
	char key[2 * NAMELEN + 8];
	char nm[NAMELEN];

	if (!qual_name(mg_node_get(n, "funcname"), &schema, &name))
		return;
	ident(nm, name);
	f = mg_xcalloc(1, sizeof(*f));
	f->schema = xdup(sch(schema));
	f->name = xdup(nm);
	f->vol = MG_VOL_VOLATILE;
	f->gen = gen;
	cJSON_ArrayForEach(it, mg_node_get(n, "options")) {
		const cJSON *de = mg_node_get(it, "DefElem");
		const char *dn = mg_node_str(de, "defname");
		const char *v = sval(mg_node_get(de, "arg"));
		if (!dn || strcmp(dn, "volatility") || !v)
			continue;
		f->vol = !strcmp(v, "immutable") ? MG_VOL_IMMUTABLE :
			 !strcmp(v, "stable") ? MG_VOL_STABLE : MG_VOL_VOLATILE;
	}
	make_key(key, sizeof(key), schema, nm);
	jsave(cat, M_FUNCS, key);
	free_func(mg_strmap_put(&cat->funcs, key, f));
}

static void apply_schema(struct mg_catalog *cat, const cJSON *n, unsigned gen)
{
	const char *s = mg_node_str(n, "schemaname");
	const cJSON *it;

	if (!s)
		return;
	if (!mg_strmap_get(&cat->schemas, s)) {
		jsave(cat, M_SCHEMAS, s);
		mg_strmap_put(&cat->schemas, s, (void *)(uintptr_t)(gen + 1));
	}
	/* CREATE SCHEMA s CREATE TABLE t ...: elements live in s */
	cJSON_ArrayForEach(it, mg_node_get(n, "schemaElts")) {
		const char *kind;
		const cJSON *el = mg_node_unwrap(it, &kind);
		if (!kind || !el)
			continue;
		if (!strcmp(kind, "CreateStmt")) {
			cJSON *copy = cJSON_Duplicate(el, 1);
			cJSON *rel = cJSON_GetObjectItemCaseSensitive(copy, "relation");
			if (cJSON_IsObject(rel) &&
			    !cJSON_GetObjectItemCaseSensitive(rel, "schemaname"))
				cJSON_AddStringToObject(rel, "schemaname", s);
			if (copy)
				apply_create(cat, copy, gen);
			cJSON_Delete(copy);
		} else {
			mg_catalog_apply(cat, kind, el);
		}
	}
}

static void apply_simple_rel(struct mg_catalog *cat, const cJSON *rv,
			     enum mg_rel_kind kind, bool if_not_exists,
			     bool replace, unsigned gen)
{
	const char *schema, *name;

	rv = rangevar(rv);
	schema = mg_node_str(rv, "schemaname");
	name = mg_node_str(rv, "relname");
	if (!name)
		return;
	if ((if_not_exists || replace) && mg_cat_table(cat, schema, name))
		return;
	table_new(cat, schema, name, kind, gen);
}

void mg_catalog_apply(struct mg_catalog *cat, const char *kind, const cJSON *n)
{
	unsigned gen;

	if (!cat || !kind || !n)
		return;
	gen = cat->gen;
	switch (kind[0]) {
	case 'A':
		if (!strcmp(kind, "AlterTableStmt"))
			apply_alter_table(cat, n, gen);
		else if (!strcmp(kind, "AlterEnumStmt"))
			apply_alter_enum(cat, n);
		else if (!strcmp(kind, "AlterObjectSchemaStmt"))
			apply_set_schema(cat, n);
		break;
	case 'C':
		if (!strcmp(kind, "CreateStmt"))
			apply_create(cat, n, gen);
		else if (!strcmp(kind, "CreateTableAsStmt"))
			apply_create_as(cat, n, gen);
		else if (!strcmp(kind, "CreateEnumStmt"))
			apply_enum(cat, n, gen);
		else if (!strcmp(kind, "CreateFunctionStmt"))
			apply_function(cat, n, gen);
		else if (!strcmp(kind, "CreateSchemaStmt"))
			apply_schema(cat, n, gen);
		else if (!strcmp(kind, "CreateSeqStmt"))
			apply_simple_rel(cat, mg_node_get(n, "sequence"), MG_REL_SEQUENCE,
					 mg_node_bool(n, "if_not_exists"), false, gen);
		else if (!strcmp(kind, "CompositeTypeStmt")) {
			const cJSON *rv = rangevar(mg_node_get(n, "typevar"));
			if (mg_node_str(rv, "relname"))
				type_new(cat, mg_node_str(rv, "schemaname"),
					 mg_node_str(rv, "relname"), MG_TYPE_COMPOSITE, gen);
		} else if (!strcmp(kind, "CreateDomainStmt")) {
			const char *s, *nm;
			if (qual_name(mg_node_get(n, "domainname"), &s, &nm))
				type_new(cat, s, nm, MG_TYPE_DOMAIN, gen);
		} else if (!strcmp(kind, "CreateRangeStmt")) {
			const char *s, *nm;
			if (qual_name(mg_node_get(n, "typeName"), &s, &nm))
				type_new(cat, s, nm, MG_TYPE_RANGE, gen);
		} else if (!strcmp(kind, "CreateForeignTableStmt")) {
			const cJSON *base = mg_node_get(mg_node_get(n, "base"), "CreateStmt");
			apply_create(cat, base ? base : mg_node_get(n, "base"), gen);
		}
		break;
	case 'D':
		if (!strcmp(kind, "DropStmt"))
			apply_drop(cat, n);
		break;
	case 'I':
		if (!strcmp(kind, "IndexStmt"))
			apply_index(cat, n, gen);
		break;
	case 'R':
		if (!strcmp(kind, "RenameStmt"))
			apply_rename(cat, n);
		break;
	case 'V':
		if (!strcmp(kind, "ViewStmt"))
			apply_simple_rel(cat, mg_node_get(n, "view"), MG_REL_VIEW,
					 false, mg_node_bool(n, "replace"), gen);
		break;
	default:
		break;
	}
}

/* ---- dump ----------------------------------------------------------------- */

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_line(char ***v, size_t *n, size_t *cap, char *line)
{
	MG_GROW(*v, *cap, *n + 1);
	(*v)[(*n)++] = line;
}

char *mg_catalog_dump(const struct mg_catalog *cat)
{
	char **v = NULL;
	size_t n = 0, cap = 0, len = 0;
	char *out, *p;

	for (size_t i = 0; i < cat->tables.cap; i++) {
		const struct mg_cat_table *t = cat->tables.v[i].val;
		char tb[64];
		if (!cat->tables.v[i].key)
			continue;
		add_line(&v, &n, &cap, mg_xasprintf("table %s.%s kind=%d gen=%u%s%s%s%s%s",
			 t->schema, t->name, (int)t->kind, t->gen, t->stub ? " stub" : "",
			 t->unlogged ? " unlogged" : "", t->partitioned ? " partitioned" : "",
			 t->partition_of ? " of=" : "", t->partition_of ? t->partition_of : ""));
		for (size_t k = 0; k < t->ncols; k++) {
			const struct mg_cat_column *c = &t->cols[k];
			add_line(&v, &n, &cap, mg_xasprintf(
				 "table %s.%s col%03zu %s %s nn=%d def=%d vol=%d id=%d gen=%d g=%u",
				 t->schema, t->name, k, c->name,
				 mg_type_format(&c->type, tb, sizeof(tb)), c->not_null,
				 c->has_default, c->default_volatile, c->identity,
				 c->generated, c->gen));
		}
		for (size_t k = 0; k < t->ncons; k++) {
			const struct mg_cat_constraint *c = &t->cons[k];
			char cols[256] = "";
			size_t o = 0;
			for (size_t j = 0; j < c->ncolumns && o < sizeof(cols); j++)
				o += (size_t)snprintf(cols + o, sizeof(cols) - o, "%s,", c->columns[j]);
			add_line(&v, &n, &cap, mg_xasprintf(
				 "table %s.%s con %s type=%d valid=%d cols=%s nn=%s ref=%s.%s idx=%s g=%u",
				 t->schema, t->name, c->name, (int)c->type, c->valid, cols,
				 c->notnull_column ? c->notnull_column : "",
				 c->ref_schema ? c->ref_schema : "", c->ref_table ? c->ref_table : "",
				 c->index ? c->index : "", c->gen));
		}
	}
	for (size_t i = 0; i < cat->indexes.cap; i++) {
		const struct mg_cat_index *x = cat->indexes.v[i].val;
		char cols[256] = "";
		size_t o = 0;
		if (!cat->indexes.v[i].key)
			continue;
		for (size_t j = 0; j < x->ncolumns && o < sizeof(cols); j++)
			o += (size_t)snprintf(cols + o, sizeof(cols) - o, "%s,", x->columns[j]);
		add_line(&v, &n, &cap, mg_xasprintf("index %s.%s on=%s cols=%s u=%d p=%d part=%d g=%u",
			 x->schema, x->name, x->table, cols, x->unique, x->primary,
			 x->partial, x->gen));
	}
	for (size_t i = 0; i < cat->types.cap; i++) {
		const struct mg_cat_type *t = cat->types.v[i].val;
		char vals[512] = "";
		size_t o = 0;
		if (!cat->types.v[i].key)
			continue;
		for (size_t j = 0; j < t->nvalues && o < sizeof(vals); j++)
			o += (size_t)snprintf(vals + o, sizeof(vals) - o, "%s,", t->values[j]);
		add_line(&v, &n, &cap, mg_xasprintf("type %s.%s kind=%d values=%s g=%u",
			 t->schema, t->name, (int)t->kind, vals, t->gen));
	}
	for (size_t i = 0; i < cat->funcs.cap; i++) {
		const struct mg_cat_func *f = cat->funcs.v[i].val;
		if (cat->funcs.v[i].key)
			add_line(&v, &n, &cap, mg_xasprintf("func %s.%s vol=%d g=%u",
				 f->schema, f->name, (int)f->vol, f->gen));
	}
	for (size_t i = 0; i < cat->schemas.cap; i++)
		if (cat->schemas.v[i].key)
			add_line(&v, &n, &cap, mg_xasprintf("schema %s", cat->schemas.v[i].key));
	add_line(&v, &n, &cap, mg_xasprintf("gen %u", cat->gen));
	qsort(v, n, sizeof(*v), cmp_line);
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	out = p = mg_xmalloc(len + 1);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		memcpy(p, v[i], l);
		p[l] = '\n';
		p += l + 1;
		free(v[i]);
	}
	*p = '\0';
	free(v);
	return out;
}
