/* script: statements of a script for execution; see script.h. */
#include "script.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

static void push(struct mg_stmts *s, size_t off, size_t end, size_t *cap)
{
	if (s->n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		s->offs = mg_xrealloc(s->offs, *cap * sizeof(size_t));
		s->ends = mg_xrealloc(s->ends, *cap * sizeof(size_t));
	}
	s->offs[s->n] = off;
	s->ends[s->n] = end;
	s->n++;
}

static int syntax_error(const struct mg_source *src, size_t off, const char *msg,
			struct mg_err *err)
{
	unsigned line, col;

	mg_source_pos(src, off, &line, &col);
	mg_err_set(err, MG_EINPUT, "sql-syntax-error", "%s", msg);
	mg_err_at(err, src->path, line, col);
	mg_err_hint(err, "fix the statement; nothing has been run");
	return MG_EINPUT;
}

/* The word at s[i] (letters only), upper-cased into w. */
static size_t word_at(const char *s, size_t i, size_t end, char *w, size_t n)
{
	size_t k = 0;

	while (i < end && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
			   s[i] == '\n'))
		i++;
	while (i < end && isalpha((unsigned char)s[i]) && k + 1 < n)
		w[k++] = (char)toupper((unsigned char)s[i++]);
	w[k] = '\0';
	return i;
}

/*
 * Statement i ends or starts a transaction (BEGIN, START TRANSACTION,
 * COMMIT, END, ROLLBACK without TO, ABORT, PREPARE TRANSACTION):
 * inside migrate's own transaction it would commit part of the migration
 * and break the all-or-nothing guarantee. Savepoints are fine.
 */
static bool ends_transaction(const char *s, size_t off, size_t end)
{
	char w1[16], w2[16];
	size_t i = word_at(s, off, end, w1, sizeof(w1));

	word_at(s, i, end, w2, sizeof(w2));
	if (!strcmp(w1, "BEGIN") || !strcmp(w1, "COMMIT") || !strcmp(w1, "END") ||
	    !strcmp(w1, "ABORT"))
		return true;
	if (!strcmp(w1, "START") && !strcmp(w2, "TRANSACTION"))
		return true;
	if (!strcmp(w1, "PREPARE") && !strcmp(w2, "TRANSACTION"))
		return true;
	if (!strcmp(w1, "ROLLBACK")) {
		/* ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] x is fine */
		if (!strcmp(w2, "WORK") || !strcmp(w2, "TRANSACTION")) {
			char w3[16];
			size_t j = word_at(s, i, end, w2, sizeof(w2));
			word_at(s, j, end, w3, sizeof(w3));
			return strcmp(w3, "TO") != 0;
		}
		return strcmp(w2, "TO") != 0;
	}
	return false;
}

static int check_tx_control(const struct mg_stmts *out, const struct mg_script *sc,
			    struct mg_err *err)
{
	const char *t = sc->src->text;

	if (sc->no_tx)
		return 0;
	for (size_t i = 0; i < out->n; i++) {
		unsigned line, col;
		char w[16];
		if (!ends_transaction(t, out->offs[i], out->ends[i]))
			continue;
		word_at(t, out->offs[i], out->ends[i], w, sizeof(w));
		mg_source_pos(sc->src, out->offs[i], &line, &col);
		mg_err_set(err, MG_EINPUT, "transaction-control",
			   "transaction control ('%s') in a migration that runs in a "
			   "transaction would break its all-or-nothing guarantee", w);
		mg_err_at(err, sc->src->path, line, col);
		mg_err_hint(err, "remove it (migrate already runs each migration in "
				 "a transaction with its ledger row), or make the "
				 "migration no-transaction (-- migrate:no-transaction)");
		return MG_EINPUT;
	}
	return 0;
}

int mg_stmts_prepare(struct mg_stmts *out, const struct mg_script *sc,
		     enum mg_dialect d, struct mg_sqlite_splitter *sp,
		     struct mg_err *err)
{
	const struct mg_source *src = sc->src;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->script = sc;
	if (!sc->present || !src)
		return 0;
	if (d == MG_DIALECT_PG) {
		struct mg_parse *p = &out->pg;
		out->has_pg = true;
		mg_pg_parse(src->text, sc->off, sc->end, p);
		if (p->fatal)
			return syntax_error(src, p->fatal_off, p->fatal, err);
		for (size_t i = 0; i < p->n; i++)
			if (p->stmts[i].error)
				return syntax_error(src, p->stmts[i].error_off,
						    p->stmts[i].error, err);
		for (size_t i = 0; i < p->n; i++)
			push(out, p->stmts[i].off, p->stmts[i].end, &cap);
		return check_tx_control(out, sc, err);
	} else {
		struct mg_sqlite_split sp_out = { 0 };
		int rc = mg_sqlite_split(sp, src, sc->off, sc->end, &sp_out, err);
		for (size_t i = 0; !rc && i < sp_out.n; i++)
			push(out, sp_out.offs[i], sp_out.ends[i], &cap);
		mg_sqlite_split_release(&sp_out);
		return rc ? rc : check_tx_control(out, sc, err);
	}
}

void mg_stmts_release(struct mg_stmts *s)
{
	free(s->offs);
	free(s->ends);
	if (s->has_pg)
		mg_parse_release(&s->pg);
	memset(s, 0, sizeof(*s));
}

char *mg_stmts_text(const struct mg_stmts *s, size_t i)
{
	const char *t = s->script->src->text;
	struct mg_buf b = MG_BUF_INIT;
	size_t start = s->offs[i], end = s->ends[i];

	for (size_t k = start; k < end; k++) {
		if (t[k] == '\r' && k + 1 < end && t[k + 1] == '\n') {
			mg_buf_add(&b, t + start, k - start);
			start = k + 1;
		}
	}
	mg_buf_add(&b, t + start, end - start);
	return mg_buf_detach(&b, NULL);
}

void mg_stmts_pos(const struct mg_stmts *s, size_t i, long charpos,
		  unsigned *line, unsigned *col)
{
	const char *t = s->script->src->text;
	size_t k = s->offs[i], end = s->ends[i];
	long c = 1;

	/* walk charpos-1 characters of the executed text (CR of CRLF
	 * removed) to find the file offset */
	while (charpos > 0 && c < charpos && k < end) {
		if (t[k] == '\r' && k + 1 < end && t[k + 1] == '\n') {
			k++;
			continue;
		}
		k++;
		while (k < end && ((unsigned char)t[k] & 0xc0) == 0x80)
			k++;
		c++;
	}
	mg_source_pos(s->script->src, k, line, col);
}

char *mg_stmts_first_line(const struct mg_stmts *s, size_t i)
{
	const char *t = s->script->src->text;
	size_t a = s->offs[i], e = a, n = 0;

	while (e < s->ends[i] && t[e] != '\n' && t[e] != '\r')
		e++;
	/* at most 100 characters */
	for (size_t k = a; k < e; k++) {
		if (((unsigned char)t[k] & 0xc0) != 0x80 && ++n > 100) {
			char *r = mg_xasprintf("%.*s...", (int)(k - a), t + a);
			return r;
		}
	}
	return mg_xstrndup(t + a, e - a);
}

bool mg_stmts_index(const struct mg_stmts *s, size_t i, const char **name,
		    const char **schema, bool *concurrent)
{
	const struct mg_stmt *st = NULL;
	const cJSON *node, *rel;
	const char *kind = NULL;

	if (!s->has_pg)
		return false;
	for (size_t k = 0; k < s->pg.n; k++)
		if (s->pg.stmts[k].off == s->offs[i])
			st = &s->pg.stmts[k];
	if (!st || !st->tree)
		return false;
	node = mg_node_unwrap(st->tree, &kind);
	if (!node || !kind || strcmp(kind, "IndexStmt"))
		return false;
	*name = mg_node_str(node, "idxname");
	if (!*name)
		return false;
	rel = mg_node_get(node, "relation");
	*schema = rel ? mg_node_str(rel, "schemaname") : NULL;
	*concurrent = mg_node_bool(node, "concurrent");
	return true;
}
