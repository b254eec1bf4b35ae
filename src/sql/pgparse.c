/* pgparse: libpg_query wrapper; see pgparse.h. */
#include "pgparse.h"

#include <ctype.h>
#include <limits.h>
#include <pg_query.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "directive.h"
#include "pgscan.h"

/* Skip blanks and comments from i; return the first token's offset. */
static size_t skip_trivia(const char *s, size_t i, size_t end)
{
	while (i < end) {
		if (isspace((unsigned char)s[i])) {
			i++;
		} else if ((s[i] == '-' && i + 1 < end && s[i + 1] == '-') ||
			   (s[i] == '/' && i + 1 < end && s[i + 1] == '*')) {
			i = mg_sql_skip_element(s, i, end);
		} else {
			break;
		}
	}
	return i;
}

/* Byte offset of 1-based character position pos in s[0..n). */
static size_t char_to_byte(const char *s, size_t n, int pos)
{
	size_t i = 0;
	int c = 1;

	if (pos <= 1)
		return 0;
	while (i < n) {
		i++;
		while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
			i++;
		if (++c == pos)
			return i;
	}
	return n;
}

/* Find the end of a statement: stmt_location+stmt_len, then the ';'. */
static size_t stmt_end(const char *s, size_t e, size_t end)
{
	size_t j = skip_trivia(s, e, end);
	if (j < end && s[j] == ';')
		return j + 1;
	return e;
}

static void add_stmt(struct mg_parse *p, size_t off, size_t end)
{
	struct mg_stmt *st;

	MG_GROW(p->stmts, p->cap, p->n + 1);
	st = &p->stmts[p->n++];
	memset(st, 0, sizeof(*st));
	st->off = off;
	st->end = end;
}

static void add_root(struct mg_parse *p, cJSON *root)
{
	MG_GROW(p->roots, p->rootcap, p->nroots + 1);
	p->roots[p->nroots++] = root;
}

/* ---- reading libpg_query's JSON into cJSON nodes, fast ------------------
 *
 * cJSON_Parse mallocs every node and copies every string; for the trees of
 * a migration that is most of the cost of parsing. libpg_query's JSON is
 * machine-written (no blanks, integers, a handful of escapes), so it is
 * read here in place: nodes come from an arena, strings are unescaped
 * inside the JSON text and point into it. The result is the tree
 * cJSON_ParseWithOpts(json, NULL, 0) builds: the same types, values and
 * order, children linked by next/prev with the first child's prev at the
 * last one, cJSON's nesting limit. Anything this reader does not handle
 * exactly as cJSON does (\u0000, UTF-16 surrogates, non-integer numbers,
 * too deep nesting, anything malformed) makes it decline, and the
 * statement is parsed again and read by cJSON itself. */

#define MEM_CHUNK ((size_t)64 << 10) /* below malloc's mmap threshold, so
					 chunks are recycled, not faulted in */

struct mem_chunk {
	struct mem_chunk *next;
	size_t used, cap;       /* in cJSON nodes */
	cJSON nodes[];
};

struct mg_pg_mem {
	struct mem_chunk *chunks;
	char **texts;           /* JSON texts from pg_query_parse (free()) */
	size_t ntexts, captexts;
};

/* Released chunks are kept for the next parses (up to CACHE_MAX of them,
 * shared by all threads): a lint parses thousands of scripts, and memory
 * given back to the system and taken again costs a page fault per page.
 * Chunks often go back from another thread than the one that took them
 * (the walk releases what a parse-ahead thread built). */
#define CACHE_MAX 256

static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;
static struct mem_chunk *cache;
static size_t ncache;

static struct mem_chunk *chunk_new(void)
{
	size_t cap = (MEM_CHUNK - sizeof(struct mem_chunk)) / sizeof(cJSON);
	struct mem_chunk *c;

	pthread_mutex_lock(&cache_mu);
	c = cache;
	if (c) {
		cache = c->next;
		ncache--;
	}
	pthread_mutex_unlock(&cache_mu);
	if (!c)
		c = mg_xmalloc(sizeof(*c) + cap * sizeof(cJSON));
	c->used = 0;
	c->cap = cap;
	return c;
}

static void chunks_free(struct mem_chunk *c)
{
	struct mem_chunk *next;

	pthread_mutex_lock(&cache_mu);
	for (; c && ncache < CACHE_MAX; c = next) {
		next = c->next;
		c->next = cache;
		cache = c;
		ncache++;
	}
	pthread_mutex_unlock(&cache_mu);
	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

static cJSON *mem_node(struct mg_pg_mem *m)
{
	struct mem_chunk *c = m->chunks;
	cJSON *n;

	if (!c || c->used == c->cap) {
		c = chunk_new();
		c->next = m->chunks;
		m->chunks = c;
	}
	n = &c->nodes[c->used++];
	memset(n, 0, sizeof(*n));
	return n;
}

static void mem_free(struct mg_pg_mem *m)
{
	if (!m)
		return;
	chunks_free(m->chunks);
	for (size_t i = 0; i < m->ntexts; i++)
		free(m->texts[i]);
	free(m->texts);
	free(m);
}

struct jreader {
	char *p;
	struct mg_pg_mem *m;
	int depth;
};

static bool jvalue(struct jreader *j, cJSON *it);

static inline void jblank(struct jreader *j)
{
	while (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r')
		j->p++;
}

/* A string at j->p ('"'): unescaped in place, NUL-terminated there. */
static bool jstring(struct jreader *j, char **out)
{
	char *start = j->p + 1, *p = start, *w;

	p += strcspn(p, "\"\\");
	if (*p == '"') {
		*p = '\0';
		*out = start;
		j->p = p + 1;
		return true;
	}
	w = p;
	for (;;) {
		char c = *p;
		if (c == '"')
			break;
		if (!c)
			return false;
		if (c != '\\') {
			*w++ = c;
			p++;
			continue;
		}
		switch (p[1]) {
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case '"': case '\\': case '/': *w++ = p[1]; break;
		case 'u': {
			/* libpg_query writes < > & and control characters so;
			 * a code point of the BMP outside the surrogates becomes
			 * UTF-8 as cJSON makes it (\u0000, bad hex and surrogate
			 * pairs are left to cJSON) */
			unsigned cp = 0;
			for (int k = 2; k < 6; k++) {
				char h = p[k];
				cp <<= 4;
				if (h >= '0' && h <= '9')
					cp |= (unsigned)(h - '0');
				else if (h >= 'a' && h <= 'f')
					cp |= (unsigned)(h - 'a' + 10);
				else if (h >= 'A' && h <= 'F')
					cp |= (unsigned)(h - 'A' + 10);
				else
					return false;
			}
			if (!cp || (cp >= 0xD800 && cp <= 0xDFFF))
				return false;
			if (cp < 0x80) {
				*w++ = (char)cp;
			} else if (cp < 0x800) {
				*w++ = (char)(0xC0 | (cp >> 6));
				*w++ = (char)(0x80 | (cp & 0x3F));
			} else {
				*w++ = (char)(0xE0 | (cp >> 12));
				*w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
				*w++ = (char)(0x80 | (cp & 0x3F));
			}
			p += 4;
			break;
		}
		default: return false; /* not an escape: cJSON fails it */
		}
		p += 2;
	}
	*w = '\0';
	*out = start;
	j->p = p + 1;
	return true;
}

/* Integers of up to 15 digits; anything else is cJSON's business. */
static bool jnumber(struct jreader *j, cJSON *it)
{
	const char *p = j->p;
	bool neg = *p == '-';
	uint64_t v = 0;
	int nd = 0;
	double d;

	if (neg)
		p++;
	while (*p >= '0' && *p <= '9' && nd < 16) {
		v = v * 10 + (uint64_t)(*p - '0');
		p++;
		nd++;
	}
	if (!nd || nd > 15 || (*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
	    *p == 'E' || *p == '+' || *p == '-' || !*p)
		return false;
	d = neg ? -(double)v : (double)v;
	it->type = cJSON_Number;
	it->valuedouble = d;
	if (d >= INT_MAX)
		it->valueint = INT_MAX;
	else if (d <= (double)INT_MIN)
		it->valueint = INT_MIN;
	else
		it->valueint = (int)d;
	j->p = (char *)p;
	return true;
}

/* '{' ... '}' or '[' ... ']' at j->p. */
static bool jcontainer(struct jreader *j, cJSON *it, bool object)
{
	cJSON *head = NULL, *cur = NULL;
	char close = object ? '}' : ']';

	if (j->depth >= CJSON_NESTING_LIMIT)
		return false;
	j->depth++;
	j->p++;
	jblank(j);
	if (*j->p == close) {
		j->p++;
	} else {
		for (;;) {
			cJSON *c = mem_node(j->m);
			jblank(j);
			if (object) {
				if (*j->p != '"' || !jstring(j, &c->string))
					return false;
				jblank(j);
				if (*j->p != ':')
					return false;
				j->p++;
				jblank(j);
			}
			if (!jvalue(j, c))
				return false;
			if (!head) {
				head = c;
			} else {
				cur->next = c;
				c->prev = cur;
			}
			cur = c;
			jblank(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p != close)
				return false;
			j->p++;
			break;
		}
	}
	j->depth--;
	if (head)
		head->prev = cur;
	it->type = object ? cJSON_Object : cJSON_Array;
	it->child = head;
	return true;
}

static bool jvalue(struct jreader *j, cJSON *it)
{
	char *p = j->p;

	switch (*p) {
	case '"':
		it->type = cJSON_String;
		return jstring(j, &it->valuestring);
	case '{':
		return jcontainer(j, it, true);
	case '[':
		return jcontainer(j, it, false);
	case 't':
		if (strncmp(p, "true", 4))
			return false;
		it->type = cJSON_True;
		it->valueint = 1;
		j->p += 4;
		return true;
	case 'f':
		if (strncmp(p, "false", 5))
			return false;
		it->type = cJSON_False;
		j->p += 5;
		return true;
	case 'n':
		if (strncmp(p, "null", 4))
			return false;
		it->type = cJSON_NULL;
		j->p += 4;
		return true;
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9'))
			return jnumber(j, it);
		return false;
	}
}

/* Read json (owned by libpg_query's malloc; taken over on success) into
 * a tree in p's arena. NULL (json untouched in meaning but maybe written
 * to: the caller frees it) when cJSON must read it instead. */
static cJSON *fast_read(struct mg_parse *p, char *json)
{
	struct jreader j;
	cJSON *root;

	if (!p->mem)
		p->mem = mg_xcalloc(1, sizeof(*p->mem));
	j.p = json;
	j.m = p->mem;
	j.depth = 0;
	jblank(&j);
	root = mem_node(p->mem);
	if (!jvalue(&j, root))
		return NULL;
	MG_GROW(p->mem->texts, p->mem->captexts, p->mem->ntexts + 1);
	p->mem->texts[p->mem->ntexts++] = json;
	return root;
}

/* Parse buf (a copy of text[base, base+len)) and append its statements.
 * Returns 0 on success, -1 on a syntax error (nothing appended). */
static int parse_chunk(struct mg_parse *p, const char *text, size_t base,
		       const char *buf, size_t len, char **emsg, size_t *eoff)
{
	PgQueryParseResult r = pg_query_parse(buf);
	cJSON *root, *stmts, *it;

	if (r.error) {
		if (emsg) {
			*emsg = mg_xstrdup(r.error->message);
			*eoff = base + char_to_byte(buf, len, r.error->cursorpos);
		}
		pg_query_free_parse_result(r);
		return -1;
	}
	root = r.parse_tree ? fast_read(p, r.parse_tree) : NULL;
	if (root) {
		r.parse_tree = NULL; /* kept: the tree's strings live in it */
		pg_query_free_parse_result(r);
	} else {
		/* the text was written to: ask libpg_query for it again */
		pg_query_free_parse_result(r);
		r = pg_query_parse(buf);
		if (r.error) {
			pg_query_free_parse_result(r);
			return -1; /* cannot happen: it parsed a moment ago */
		}
		root = cJSON_ParseWithOpts(r.parse_tree, NULL, 0);
		pg_query_free_parse_result(r);
		if (!root)
			return -1; /* cJSON nesting limit on absurd input */
		add_root(p, root);
	}
	stmts = cJSON_GetObjectItemCaseSensitive(root, "stmts");
	cJSON_ArrayForEach(it, stmts) {
		const cJSON *raw = cJSON_GetObjectItemCaseSensitive(it, "stmt");
		size_t loc = (size_t)mg_node_int(it, "stmt_location", 0);
		size_t slen = (size_t)mg_node_int(it, "stmt_len", 0);
		size_t so, se;
		if (!slen)
			slen = len - loc;
		so = skip_trivia(text, base + loc, base + len);
		se = stmt_end(text, base + loc + slen, base + len);
		add_stmt(p, so, se);
		p->stmts[p->n - 1].tree = raw;
		p->stmts[p->n - 1].tree_base = base;
		mg_node_unwrap(raw, &p->stmts[p->n - 1].kind);
	}
	return 0;
}

/* Append span [so, se) to spans (capacity in *cap pairs). */
static void push_span(size_t **spans, size_t *cap, long *n, size_t so, size_t se)
{
	MG_GROW(*spans, *cap, 2 * (size_t)*n + 2);
	(*spans)[2 * *n] = so;
	(*spans)[2 * *n + 1] = se;
	(*n)++;
}

/* End of text[from, to) without trailing blanks. */
static size_t trim_end(const char *s, size_t from, size_t to)
{
	while (to > from && isspace((unsigned char)s[to - 1]))
		to--;
	return to;
}

/* libpg_query's splitter only starts a statement at a keyword, so text made
 * of identifiers and constants alone (SQLite's `PRAGMA foreign_keys = 0;`,
 * a stray `foo;`) falls between its spans. Such text is split here at its
 * ';' tokens and becomes statements of its own: nothing is ever dropped. */
static void fill_gap(const char *text, size_t from, size_t to, size_t **spans,
		     size_t *cap, long *n)
{
	struct mg_token *t = NULL;
	long nt;
	size_t so;

	from = skip_trivia(text, from, to);
	while (from < to && text[from] == ';')
		from = skip_trivia(text, from + 1, to);
	if (from >= to)
		return;
	nt = mg_pg_scan(text, from, to, &t);
	if (nt < 0) {
		/* the whole range scanned cleanly, so a part should too */
		push_span(spans, cap, n, from, trim_end(text, from, to));
		return;
	}
	/* only the ';' tokens are trusted: statements are the text between
	 * them (some tokens, such as U&'...' strings, are reported with
	 * offsets that do not cover their text) */
	so = from;
	for (long i = 0; i < nt; i++) {
		if (t[i].token != MG_TOK_SEMICOLON)
			continue;
		if (so < t[i].off)
			push_span(spans, cap, n, so, t[i].end);
		so = skip_trivia(text, t[i].end, to);
	}
	if (so < to && trim_end(text, so, to) > so)
		push_span(spans, cap, n, so, trim_end(text, so, to));
	free(t);
}

long mg_pg_split(const char *text, size_t off, size_t end, size_t **spans,
		 char **error, size_t *error_off)
{
	size_t len = end - off, cap = 0, prev = off;
	char *buf = mg_xstrndup(text + off, len);
	PgQuerySplitResult r = pg_query_split_with_scanner(buf);
	long n = 0;

	*spans = NULL;
	if (r.error) {
		*error = mg_xstrdup(r.error->message);
		*error_off = off + char_to_byte(buf, len, r.error->cursorpos);
		pg_query_free_split_result(r);
		free(buf);
		return -1;
	}
	for (int i = 0; i < r.n_stmts; i++) {
		size_t loc = (size_t)r.stmts[i]->stmt_location;
		size_t sl = (size_t)r.stmts[i]->stmt_len;
		size_t so, se;
		if (!sl)
			sl = len - loc;
		so = skip_trivia(text, off + loc, off + loc + sl);
		se = stmt_end(text, off + loc + sl, end);
		if (so >= off + loc + sl)
			continue; /* only comments */
		if (so < prev)
			so = prev; /* never overlap what a gap statement took */
		fill_gap(text, prev, so, spans, &cap, &n);
		push_span(spans, &cap, &n, so, se);
		prev = se;
	}
	fill_gap(text, prev, end, spans, &cap, &n);
	pg_query_free_split_result(r);
	free(buf);
	if (!*spans)
		*spans = mg_xcalloc(1, 2 * sizeof(size_t));
	return n;
}

void mg_pg_parse(const char *text, size_t off, size_t end, struct mg_parse *out)
{
	size_t len = end - off, *spans = NULL;
	/* libpg_query wants a NUL-terminated string: the text itself when
	 * the range ends where it does (a whole file), else a copy */
	char *buf = text[end] ? mg_xstrndup(text + off, len) : NULL;
	char *emsg = NULL;
	size_t eoff = 0;
	long ns;

	memset(out, 0, sizeof(*out));
	out->ok = true;
	if (parse_chunk(out, text, off, buf ? buf : text + off, len, NULL, NULL) == 0) {
		free(buf);
		return;
	}
	free(buf);
	out->ok = false;
	/* Fall back: statement by statement. */
	ns = mg_pg_split(text, off, end, &spans, &emsg, &eoff);
	if (ns < 0) {
		out->fatal = emsg;
		out->fatal_off = eoff;
		add_stmt(out, skip_trivia(text, off, end), end);
		out->stmts[0].error = mg_xstrdup(emsg);
		out->stmts[0].error_off = eoff;
		return;
	}
	for (long i = 0; i < ns; i++) {
		size_t so = spans[2 * i], se = spans[2 * i + 1];
		char *one = mg_xstrndup(text + so, se - so);
		size_t before = out->n;
		if (parse_chunk(out, text, so, one, se - so, &emsg, &eoff) != 0) {
			add_stmt(out, so, se);
			out->stmts[out->n - 1].error = emsg ? emsg :
				mg_xstrdup("statement nests too deeply to analyse");
			out->stmts[out->n - 1].error_off = emsg ? eoff : so;
			emsg = NULL;
		} else if (out->n == before) {
			/* empty statement */
		}
		free(one);
	}
	free(spans);
}

void mg_parse_release(struct mg_parse *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->stmts[i].error);
	free(p->stmts);
	for (size_t i = 0; i < p->nroots; i++)
		cJSON_Delete(p->roots[i]);
	free(p->roots);
	mem_free(p->mem);
	free(p->fatal);
	memset(p, 0, sizeof(*p));
}

const cJSON *mg_node_unwrap(const cJSON *n, const char **name_out)
{
	if (name_out)
		*name_out = NULL;
	if (!n || !cJSON_IsObject(n) || !n->child)
		return NULL;
	if (name_out)
		*name_out = n->child->string;
	return n->child;
}

/* cJSON_GetObjectItemCaseSensitive, inline and comparing the first byte
 * before calling strcmp (rules look keys up all the time): the first
 * child, then its siblings, until one has the name; stops at a child with
 * no name (an array element) as cJSON does. */
const cJSON *mg_node_get(const cJSON *n, const char *key)
{
	if (!n || !key)
		return NULL;
	for (const cJSON *c = n->child; c; c = c->next) {
		if (!c->string)
			return NULL;
		if (c->string[0] == key[0] && !strcmp(c->string, key))
			return c;
	}
	return NULL;
}

const char *mg_node_str(const cJSON *n, const char *key)
{
	const cJSON *v = mg_node_get(n, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int mg_node_int(const cJSON *n, const char *key, int dflt)
{
	const cJSON *v = mg_node_get(n, key);
	return cJSON_IsNumber(v) ? v->valueint : dflt;
}

bool mg_node_bool(const cJSON *n, const char *key)
{
	return cJSON_IsTrue(mg_node_get(n, key));
}

int mg_node_location(const cJSON *n)
{
	const cJSON *v = mg_node_get(n, "location");
	if (!v && n && n->child && cJSON_IsObject(n->child))
		v = mg_node_get(n->child, "location");
	return cJSON_IsNumber(v) ? v->valueint : -1;
}
