/* engine: statement dispatch, transactions, locks, findings; see engine.h
 * and rule.h (the functions rules call live here). */
#include "engine.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../sql/pgparse.h"
#include "../sql/pgscan.h"
#include "baseline.h"
#include "catalog.h"
#include "lint.h"
#include "rule_meta.h"
#include "strmap.h"
#include "suppress.h"
#include "typecoerce.h"
#include "volatility.h"

#if __has_include("../sql/sqlite_split.h")
#include "../sql/sqlite_split.h"
#define MG_HAVE_SQLITE_SPLIT 1
#endif

#define MAX_STMT_LOCKS 8

struct stmt_info {
	struct mg_lint_stmt ls;
	struct mg_token *toks;      /* owned scan cache (parsed statements) */
	size_t ntoks;
	bool scanned;
	bool locks_done;
	struct mg_lock *locks;      /* owned, MAX_STMT_LOCKS, on first use */
	size_t nlocks;
	bool ends_txn;              /* COMMIT / ROLLBACK / END */
	bool explained;             /* a rule said it fails at run time */
	unsigned char digest[32];   /* normalised text hash, for fingerprints */
	bool digested;
};

/* The enabled rules that want statements of one node kind, in registry
 * order, found once per kind and engine (not by comparing the kind with
 * every rule's list for every statement). */
struct kind_rules {
	unsigned *rules;            /* owned: registry indexes */
	size_t n;
};

struct mg_engine {
	const struct mg_lint_opts *opts;
	struct mg_catalog *cat;
	size_t nrules;
	enum mg_severity *sev;      /* effective severity per registry rule */
	bool *overridden;           /* the user set it */
	unsigned last_up_gen;       /* generation of the last up script */
	void **state_buf;           /* per rule: mg_lint_state's memory, kept
				       from script to script (zeroed on the
				       first request in each script) */
	size_t *state_size;
	struct mg_strmap by_kind;   /* node kind -> struct kind_rules *, owned */
};

struct mg_lint_ctx {
	struct mg_engine *e;
	const struct mg_script_in *in;
	const struct mg_source *src;
	const char *path;
	struct mg_catalog *cat;     /* the active catalog (maybe a scratch copy) */
	unsigned gen, up_gen;
	struct mg_parse parse;      /* the current window's statements */
	struct stmt_info *st;       /* ... nst of them, st[i] is statement */
	size_t nst;                 /* number base + i of the script */
	size_t base;
	size_t total;               /* statements in the whole script */
	size_t cur;                 /* statement being checked (in st) */
	/* transaction state carried from one window to the next */
	bool tx_in, tx_expl, tx_prev, tx_prev_ends;
	unsigned tx_num, tx_next, tx_prev_txn;
	size_t rule_idx;            /* rule being run */
	void **states;              /* per-rule scratch, owned */
	struct mg_txn_lock *tx;     /* locks held by the open transaction */
	size_t ntx, captx;
	struct mg_diags found;      /* this script's findings */
	struct mg_suppress sup;
	size_t suppressed;
	bool input_error;
	struct mg_parse *ahead;     /* the script parsed ahead (in->parsed) */
	char *sqlite_err;           /* SQLite's syntax error, owned, or NULL */
	size_t sqlite_err_off;
};

/* ---- engine lifetime ---------------------------------------------------- */

enum mg_severity mg_engine_severity(const struct mg_lint_opts *opts,
				    const char *id, enum mg_severity dflt)
{
	if (opts)
		for (size_t i = opts->nrules; i-- > 0;)
			if (!strcmp(opts->rules[i].id, id))
				return opts->rules[i].sev;
	return dflt;
}

static bool user_set(const struct mg_lint_opts *opts, const char *id)
{
	if (opts)
		for (size_t i = 0; i < opts->nrules; i++)
			if (!strcmp(opts->rules[i].id, id))
				return true;
	return false;
}

struct mg_engine *mg_engine_new(const struct mg_lint_opts *opts)
{
	struct mg_engine *e = mg_xcalloc(1, sizeof(*e));
	unsigned dialect = opts && opts->dialect ? (unsigned)opts->dialect :
			   MG_LINT_POSTGRES;

	e->opts = opts;
	e->cat = mg_catalog_new();
	e->nrules = mg_rule_count();
	e->sev = mg_xcalloc(e->nrules + 1, sizeof(*e->sev));
	e->overridden = mg_xcalloc(e->nrules + 1, sizeof(*e->overridden));
	for (size_t i = 0; i < e->nrules; i++) {
		const struct mg_rule *r = mg_rules[i];
		e->overridden[i] = user_set(opts, r->id);
		e->sev[i] = mg_engine_severity(opts, r->id, r->default_severity);
		if (r->dialects && !(r->dialects & dialect))
			e->sev[i] = MG_SEV_OFF;
		if (opts && opts->nonly) {
			bool keep = false;
			for (size_t k = 0; k < opts->nonly; k++)
				keep |= !strcmp(opts->only[k], r->id);
			if (!keep)
				e->sev[i] = MG_SEV_OFF;
		}
	}
	return e;
}

void mg_engine_free(struct mg_engine *e)
{
	if (!e)
		return;
	mg_catalog_free(e->cat);
	for (size_t i = 0; e->state_buf && i < e->nrules; i++)
		free(e->state_buf[i]);
	free(e->state_buf);
	free(e->state_size);
	for (size_t i = 0; i < e->by_kind.cap; i++) {
		struct kind_rules *kr = e->by_kind.v[i].val;
		if (e->by_kind.v[i].key) {
			free(kr->rules);
			free(kr);
		}
	}
	mg_strmap_release(&e->by_kind);
	free(e->sev);
	free(e->overridden);
	free(e);
}

const struct mg_catalog *mg_engine_catalog(const struct mg_engine *e)
{
	return e->cat;
}

static int pg_version(const struct mg_engine *e)
{
	return e->opts && e->opts->pg_version ? e->opts->pg_version : 15;
}

static enum mg_lint_dialect dialect(const struct mg_engine *e)
{
	return e->opts && e->opts->dialect ? e->opts->dialect : MG_LINT_POSTGRES;
}

/* ---- diagnostics -------------------------------------------------------- */

/* File offset of 1-based line:col (col in characters), clamped. */
static size_t line_col_off(const struct mg_source *src, unsigned line, unsigned col)
{
	size_t ls, ll, off;

	if (!line || line > src->nlines)
		return 0;
	mg_source_line(src, line, &ls, &ll);
	off = ls;
	for (unsigned c = 1; c < col && off < ls + ll; c++) {
		off++;
		while (off < ls + ll && ((unsigned char)src->text[off] & 0xc0) == 0x80)
			off++;
	}
	return off;
}

/* Index of the statement containing offset off, or SIZE_MAX. */
static size_t stmt_of(const struct mg_lint_ctx *ctx, size_t off)
{
	size_t lo = 0, hi = ctx->nst;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ctx->st[mid].ls.stmt->off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && off < ctx->st[lo - 1].ls.stmt->end)
		return lo - 1;
	return SIZE_MAX;
}

/* Bytes of the lexical token at off (identifier, number, quoted, or 1). */
static size_t token_len(const char *s, size_t off, size_t n)
{
	size_t i = off;

	if (off >= n)
		return 0;
	if (s[i] == '"' || s[i] == '\'' || s[i] == '$') {
		size_t j = mg_sql_skip_element(s, i, n);
		if (j > i + 1)
			return j - i;
	}
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
			 (unsigned char)s[i] >= 0x80))
		i++;
	return i > off ? i - off : 1;
}

static unsigned utf8_chars(const char *s, size_t n)
{
	unsigned c = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

static void make_diag(struct mg_diag *d, const struct mg_source *src,
		      const char *path, size_t off, size_t len, size_t soff,
		      size_t send, const char *rule, enum mg_severity sev,
		      const char *msg, const char *help, bool want_fp);

void mg_engine_make_diag(struct mg_diag *d, const struct mg_source *src,
			 const char *path, size_t off, size_t len,
			 size_t soff, size_t send, const char *rule,
			 enum mg_severity sev, const char *msg, const char *help)
{
	make_diag(d, src, path, off, len, soff, send, rule, sev, msg, help, true);
}

static void make_diag(struct mg_diag *d, const struct mg_source *src,
		      const char *path, size_t off, size_t len, size_t soff,
		      size_t send, const char *rule, enum mg_severity sev,
		      const char *msg, const char *help, bool want_fp)
{
	size_t ls, ll, end;
	unsigned line, col;

	memset(d, 0, sizeof(*d));
	d->file = mg_xstrdup(path ? path : src ? src->path : "-");
	d->rule = rule;
	d->severity = sev;
	d->message = mg_xstrdup(msg ? msg : "");
	for (char *p = d->message; *p; p++) /* one line, whatever the parser said */
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	d->help = help && help[0] ? mg_xstrdup(help) : NULL;
	d->off = off;
	d->stmt_index = SIZE_MAX;
	if (!src) {
		d->line = d->column = d->end_line = d->end_column = 1;
		d->caret_len = 1;
		mg_baseline_fingerprint(rule, "", 0, 0, d->fingerprint);
		return;
	}
	if (off > src->len)
		off = src->len;
	if (!len)
		len = token_len(src->text, off, src->len);
	mg_source_pos(src, off, &line, &col);
	d->line = line;
	d->column = col;
	mg_source_line(src, line, &ls, &ll);
	d->source_line = mg_xstrndup(src->text + ls, ll);
	end = off + len;
	if (end > ls + ll)
		end = ls + ll;
	d->caret_len = end > off ? utf8_chars(src->text + off, end - off) : 1;
	if (!d->caret_len)
		d->caret_len = 1;
	if (send > soff) {
		unsigned el, ec;
		mg_source_pos(src, send, &el, &ec);
		d->end_line = el;
		d->end_column = ec;
		if (want_fp)
			mg_baseline_fingerprint(rule, src->text, soff, send, d->fingerprint);
	} else {
		unsigned el, ec;
		size_t e2 = off + len > src->len ? src->len : off + len;
		mg_source_pos(src, e2, &el, &ec);
		d->end_line = el;
		d->end_column = ec;
		mg_baseline_fingerprint(rule, src->text, off, e2, d->fingerprint);
	}
	if (d->end_line < d->line || (d->end_line == d->line && d->end_column <= d->column)) {
		d->end_line = d->line;
		d->end_column = d->column + d->caret_len;
	}
}

static void lock_describe(struct mg_diag *d, const struct mg_lock *l)
{
	d->has_lock = true;
	d->lock_mode = l->mode;
	if (l->schema[0] && strcmp(l->schema, "public"))
		snprintf(d->lock_relation, sizeof(d->lock_relation), "%s.%s",
			 l->schema, l->relation);
	else
		snprintf(d->lock_relation, sizeof(d->lock_relation), "%s", l->relation);
}

/* Add a finding for statement si (SIZE_MAX: none) to the script's list,
 * unless it is suppressed. */
static void emit(struct mg_lint_ctx *ctx, size_t si, size_t off, size_t len,
		 const char *rule, enum mg_severity sev, const char *msg,
		 const char *help, const struct mg_lock *lock, bool suppressible)
{
	struct mg_diag d;
	size_t soff = 0, send = 0;

	if (sev == MG_SEV_OFF)
		return;
	if (suppressible && mg_suppress_match(&ctx->sup, rule,
					      si < ctx->nst ? ctx->base + si : SIZE_MAX)) {
		ctx->suppressed++;
		return;
	}
	if (si < ctx->nst) {
		soff = ctx->st[si].ls.stmt->off;
		send = ctx->st[si].ls.stmt->end;
	}
	make_diag(&d, ctx->src, ctx->path, off, len, soff, send, rule, sev, msg,
		  help, si >= ctx->nst);
	d.stmt_index = si < ctx->nst ? ctx->base + si : SIZE_MAX;
	if (si < ctx->nst) { /* hash each statement's text once */
		struct stmt_info *x = &ctx->st[si];
		if (!x->digested) {
			mg_baseline_text_digest(ctx->src->text, soff, send, x->digest);
			x->digested = true;
		}
		mg_baseline_fingerprint_digest(rule, x->digest, d.fingerprint);
	}
	if (lock && lock->mode >= MG_LOCK_SHARE_UPDATE_EXCLUSIVE && lock->relation[0])
		lock_describe(&d, lock);
	mg_diags_add(&ctx->found, &d);
}

static void engine_diag(struct mg_lint_ctx *ctx, size_t si, size_t off, size_t len,
			const char *id, const char *msg, const char *help)
{
	const struct mg_engine_diag *ed = mg_engine_diag_get(id);
	enum mg_severity sev = ed ? ed->severity : MG_SEV_ERROR;

	if (ed && ed->configurable)
		sev = mg_engine_severity(ctx->e->opts, id, sev);
	if (!help && ed)
		help = ed->help;
	emit(ctx, si, off, len, ed ? ed->id : id, sev, msg, help, NULL,
	     !strcmp(id, "unparsed-statement"));
	if (sev == MG_SEV_ERROR && ed && !ed->configurable)
		ctx->input_error = true;
}

/* ---- what rules call: reporting ----------------------------------------- */

static void vreport(struct mg_lint_ctx *ctx, const struct mg_report_opt *o,
		    size_t off, size_t len, const char *fmt, va_list ap)
{
	const struct mg_rule *r;
	const struct mg_rule_meta *m;
	enum mg_severity sev;
	struct mg_lock lk;
	const struct mg_lock *lock = NULL;
	struct mg_buf msg = MG_BUF_INIT;
	const char *help;
	size_t si;
	struct mg_report_opt copy;

	if (!ctx || ctx->rule_idx >= ctx->e->nrules)
		return;
	r = mg_rules[ctx->rule_idx];
	m = mg_rule_meta_get(r->id);
	sev = ctx->e->sev[ctx->rule_idx];
	if (!ctx->e->overridden[ctx->rule_idx] && o && o->severity)
		sev = o->severity;
	mg_buf_vaddf(&msg, fmt, ap);
	if (o && o->dropped == MG_ORIGIN_UPGRADE) {
		sev = MG_SEV_INFO;
		mg_buf_adds(&msg, " (expected in a downgrade: the matching upgrade "
				  "created it)");
		if (!o->help) {
			copy = *o;
			copy.help = ""; /* the rule's advice is for upgrades */
			o = &copy;
		}
	}
	if (off > ctx->src->len)
		off = ctx->cur < ctx->nst ? ctx->st[ctx->cur].ls.stmt->off : ctx->in->off;
	si = ctx->cur < ctx->nst ? ctx->cur : stmt_of(ctx, off);
	if (o && o->lock)
		lock = o->lock;
	else if (!(o && o->no_lock) && si < ctx->nst &&
		 mg_lint_stmt_lock(ctx, &ctx->st[si].ls, &lk))
		lock = &lk;
	help = o && o->help ? o->help : m ? m->help : NULL;
	if (help && !help[0])
		help = NULL;
	if (si < ctx->nst && sev == MG_SEV_ERROR &&
	    ((o && o->fails) || r->dialects == MG_LINT_SQLITE))
		ctx->st[si].explained = true;
	emit(ctx, si, off, len, r->id, sev, msg.buf, help, lock, true);
	mg_buf_release(&msg);
}

void mg_lint_report(struct mg_lint_ctx *ctx, size_t off, size_t len,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, NULL, off, len, fmt, ap);
	va_end(ap);
}

void mg_lint_report_opt(struct mg_lint_ctx *ctx, const struct mg_report_opt *o,
			size_t off, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, o, off, len, fmt, ap);
	va_end(ap);
}

void mg_lint_report_node(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const cJSON *node, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ctx, NULL, mg_lint_node_off(st, node), 0, fmt, ap);
	va_end(ap);
}

/* ---- what rules call: positions, tokens, trees -------------------------- */

size_t mg_lint_node_off(const struct mg_lint_stmt *st, const cJSON *node)
{
	int loc;

	if (!st || !st->stmt)
		return 0;
	loc = mg_node_location(node);
	if (loc < 0)
		return st->stmt->off;
	return st->stmt->tree_base + (size_t)loc;
}

const char *mg_lint_text(const struct mg_lint_ctx *ctx)
{
	return ctx->src->text;
}

static struct stmt_info *info_of(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t i;

	if (!st || st->index < ctx->base)
		return NULL;
	i = st->index - ctx->base;
	if (i >= ctx->nst || &ctx->st[i].ls != st)
		return NULL;
	return &ctx->st[i];
}

const struct mg_token *mg_lint_tokens(struct mg_lint_ctx *ctx,
				      const struct mg_lint_stmt *st, size_t *n)
{
	struct stmt_info *si = info_of(ctx, st);

	*n = 0;
	if (!si)
		return NULL;
	if (si->ls.tokens) {
		*n = si->ls.ntokens;
		return si->ls.tokens;
	}
	if (!si->scanned) {
		long k = mg_pg_scan(ctx->src->text, si->ls.stmt->off, si->ls.stmt->end,
				    &si->toks);
		si->ntoks = k > 0 ? (size_t)k : 0;
		si->scanned = true;
	}
	*n = si->ntoks;
	return si->toks;
}

static bool tok_word(const char *text, const struct mg_token *t, const char *w)
{
	size_t n = t->end - t->off, wl = strlen(w);

	if (!strcmp(w, "*"))
		return true;
	if (n != wl)
		return false;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)text[t->off + i]) != (unsigned char)w[i])
			return false;
	return true;
}

bool mg_lint_tok_match(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t i, ...)
{
	size_t n;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	va_list ap;
	const char *w;
	bool ok = true;

	va_start(ap, i);
	while ((w = va_arg(ap, const char *))) {
		if (i >= n || !tok_word(ctx->src->text, &t[i], w)) {
			ok = false;
			break;
		}
		i++;
	}
	va_end(ap);
	return ok;
}

size_t mg_lint_tok_find(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t from, const char *word)
{
	size_t n;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);

	for (size_t i = from; i < n; i++)
		if (tok_word(ctx->src->text, &t[i], word))
			return i;
	return n;
}

char *mg_lint_tok_ident(const struct mg_lint_ctx *ctx, const struct mg_token *t,
			char *buf, size_t size)
{
	const char *s = ctx->src->text + t->off;
	size_t n = t->end - t->off, o = 0;

	if (!size)
		return buf;
	if (n >= 2 && s[0] == '"') {
		for (size_t i = 1; i + 1 < n && o + 1 < size; i++) {
			if (s[i] == '"' && s[i + 1] == '"')
				i++;
			buf[o++] = s[i];
		}
	} else {
		for (size_t i = 0; i < n && o + 1 < size; i++)
			buf[o++] = (char)tolower((unsigned char)s[i]);
	}
	buf[o] = '\0';
	return buf;
}

bool mg_lint_alter_table_name(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			      size_t *at, char *schema, size_t schema_size,
			      char *name, size_t name_size)
{
	size_t n, i = 2;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = ctx->src->text;

	if (!t || !mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL))
		return false;
	if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
		i += 2;
	if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
		i++;
	if (i >= n)
		return false;
	if (i + 2 < n && t[i + 1].end == t[i + 1].off + 1 && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], schema, schema_size);
		i += 2;
	}
	mg_lint_tok_ident(ctx, &t[i], name, name_size);
	*at = i;
	return true;
}

/* A light lexer for positions in parsed statements (much cheaper than the
 * PostgreSQL scanner): the next token at or after i, skipping blanks and
 * comments. Words are [A-Za-z0-9_$] and non-ASCII bytes; strings, quoted
 * identifiers and dollar bodies are one token; anything else one byte.
 * Returns false at end. */
static bool lex(const char *s, size_t i, size_t end, size_t *ts, size_t *te)
{
	while (i < end) {
		unsigned char c = (unsigned char)s[i];
		if (isspace(c)) {
			i++;
		} else if ((c == '-' && i + 1 < end && s[i + 1] == '-') ||
			   (c == '/' && i + 1 < end && s[i + 1] == '*')) {
			i = mg_sql_skip_element(s, i, end);
		} else {
			break;
		}
	}
	if (i >= end)
		return false;
	*ts = i;
	if (isalnum((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80) {
		bool e_string = (s[i] == 'E' || s[i] == 'e') && i + 1 < end && s[i + 1] == '\'';
		if (!e_string) {
			while (i < end && (isalnum((unsigned char)s[i]) || s[i] == '_' ||
					   s[i] == '$' || (unsigned char)s[i] >= 0x80))
				i++;
			*te = i;
			return true;
		}
		i++;
	}
	if (s[i] == '\'' || s[i] == '"' || s[i] == '$') {
		size_t j = mg_sql_skip_element(s, i, end);
		*te = j > end ? end : j;
		return true;
	}
	*te = i + 1;
	return true;
}

static bool word_eq(const char *s, size_t ts, size_t te, const char *w)
{
	size_t n = strlen(w);

	if (te - ts != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (toupper((unsigned char)s[ts + i]) != toupper((unsigned char)w[i]))
			return false;
	return true;
}

bool mg_lint_cmd_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      size_t i, size_t *off, size_t *end)
{
	const char *s = ctx->src->text;
	const cJSON *rel = mg_node_get(st ? st->node : NULL, "relation");
	int loc = mg_node_location(rel);
	size_t p, e, ts, te, start = SIZE_MAX, last = SIZE_MAX, depth = 0, cmd = 0;

	if (!st || !st->stmt)
		return false;
	*off = st->stmt->off;
	*end = st->stmt->end;
	e = st->stmt->end;
	if (loc < 0)
		return false;
	p = st->stmt->tree_base + (size_t)loc;
	if (p < st->stmt->off || p >= e)
		return false;
	/* past the relation name: name [. name]* [*] */
	if (!lex(s, p, e, &ts, &te))
		return false;
	p = te;
	while (lex(s, p, e, &ts, &te) && te - ts == 1 && s[ts] == '.') {
		if (!lex(s, te, e, &ts, &te))
			return false;
		p = te;
	}
	if (lex(s, p, e, &ts, &te) && te - ts == 1 && s[ts] == '*')
		p = te;
	while (lex(s, p, e, &ts, &te)) {
		char c = s[ts];
		bool single = te - ts == 1;
		p = te;
		if (single && c == '(') {
			depth++;
		} else if (single && c == ')' && depth) {
			depth--;
		} else if (single && (c == ',' || c == ';') && !depth) {
			if (cmd == i && start != SIZE_MAX) {
				*off = start;
				*end = last;
				return true;
			}
			cmd++;
			start = SIZE_MAX;
			if (c == ';')
				return false;
			continue;
		}
		if (start == SIZE_MAX)
			start = ts;
		last = te;
	}
	if (cmd == i && start != SIZE_MAX) {
		*off = start;
		*end = last;
		return true;
	}
	return false;
}

bool mg_lint_word_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       size_t from, const char *word, size_t *off, size_t *end)
{
	const char *s = ctx->src->text;
	size_t p, e, ts, te;

	if (!st || !st->stmt || !word)
		return false;
	p = from > st->stmt->off ? from : st->stmt->off;
	e = st->stmt->end;
	while (p < e && lex(s, p, e, &ts, &te)) {
		if (word_eq(s, ts, te, word)) {
			*off = ts;
			*end = te;
			return true;
		}
		p = te;
	}
	return false;
}

bool mg_lint_next_token(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			size_t from, size_t *off, size_t *end)
{
	if (!st || !st->stmt)
		return false;
	return lex(ctx->src->text, from > st->stmt->off ? from : st->stmt->off,
		   st->stmt->end, off, end);
}

const char *mg_lint_strval(const cJSON *node)
{
	return mg_node_str(mg_node_get(node, "String"), "sval");
}

const char *mg_lint_list_last(const cJSON *list)
{
	const cJSON *it;
	const char *last = NULL;

	if (mg_node_get(list, "List"))
		list = mg_node_get(mg_node_get(list, "List"), "items");
	if (!cJSON_IsArray(list))
		return NULL;
	cJSON_ArrayForEach(it, list) {
		const char *s = mg_lint_strval(it);
		if (s)
			last = s;
	}
	return last;
}

/* snprintf(buf, size, "%s%s%s", a, b, c) without the format machinery
 * (rules name relations tens of thousands of times a run): the same bytes,
 * truncated the same way. size > 0. */
static void cat3(char *buf, size_t size, const char *a, const char *b, const char *c)
{
	const char *parts[3] = { a, b, c };
	size_t o = 0;

	for (int k = 0; k < 3 && o + 1 < size; k++) {
		size_t n = strlen(parts[k]);
		if (n > size - 1 - o)
			n = size - 1 - o;
		memcpy(buf + o, parts[k], n);
		o += n;
	}
	buf[o] = '\0';
}

const char *mg_lint_rv_name(const cJSON *rv, char *buf, size_t size)
{
	const char *s, *n;

	if (mg_node_get(rv, "RangeVar"))
		rv = mg_node_get(rv, "RangeVar");
	s = mg_node_str(rv, "schemaname");
	n = mg_node_str(rv, "relname");
	if (!size)
		return buf;
	if (!n)
		cat3(buf, size, "?", "", "");
	else if (s)
		cat3(buf, size, s, ".", n);
	else
		cat3(buf, size, n, "", "");
	return buf;
}

const cJSON *mg_lint_at(const cJSON *array, size_t i)
{
	if (!cJSON_IsArray(array) || i > INT32_MAX)
		return NULL;
	return cJSON_GetArrayItem(array, (int)i);
}

size_t mg_lint_len(const cJSON *array)
{
	int n = cJSON_IsArray(array) ? cJSON_GetArraySize(array) : 0;
	return n > 0 ? (size_t)n : 0;
}

/* ---- what rules call: settings, state, catalog -------------------------- */

int mg_lint_pg_version(const struct mg_lint_ctx *ctx)
{
	return pg_version(ctx->e);
}

enum mg_lint_dialect mg_lint_dialect(const struct mg_lint_ctx *ctx)
{
	return dialect(ctx->e);
}

bool mg_lint_is_down(const struct mg_lint_ctx *ctx)
{
	return ctx->in->is_down;
}

bool mg_lint_script_no_tx(const struct mg_lint_ctx *ctx)
{
	return ctx->in->no_tx;
}

size_t mg_lint_nstmts(const struct mg_lint_ctx *ctx)
{
	return ctx->total;
}

const struct mg_lint_stmt *mg_lint_stmt_at(const struct mg_lint_ctx *ctx, size_t i)
{
	if (i < ctx->base || i - ctx->base >= ctx->nst)
		return NULL; /* outside the window of a very long script */
	return &ctx->st[i - ctx->base].ls;
}

void *mg_lint_state(struct mg_lint_ctx *ctx, size_t size)
{
	size_t i = ctx->rule_idx;

	if (i >= ctx->e->nrules)
		return NULL;
	if (!ctx->states)
		ctx->states = mg_xcalloc(ctx->e->nrules, sizeof(void *));
	if (!ctx->states[i]) {
		/* the engine's buffer, zeroed: calloc and free for every script
		 * cost a page fault per page of a large state */
		struct mg_engine *e = ctx->e;
		if (!size)
			size = 1;
		if (!e->state_buf) {
			e->state_buf = mg_xcalloc(e->nrules, sizeof(void *));
			e->state_size = mg_xcalloc(e->nrules, sizeof(size_t));
		}
		if (e->state_size[i] < size) {
			free(e->state_buf[i]);
			e->state_buf[i] = mg_xmalloc(size);
			e->state_size[i] = size;
		}
		memset(e->state_buf[i], 0, size);
		ctx->states[i] = e->state_buf[i];
	}
	return ctx->states[i];
}

void *mg_lint_state_peek(const struct mg_lint_ctx *ctx)
{
	if (ctx->rule_idx >= ctx->e->nrules || !ctx->states)
		return NULL;
	return ctx->states[ctx->rule_idx];
}

const struct mg_catalog *mg_lint_catalog(const struct mg_lint_ctx *ctx)
{
	return ctx->cat;
}

const struct mg_cat_table *mg_lint_table(const struct mg_lint_ctx *ctx,
					 const cJSON *rangevar)
{
	return mg_cat_table_rv(ctx->cat, rangevar);
}

const struct mg_cat_table *mg_lint_table_named(const struct mg_lint_ctx *ctx,
					       const char *schema, const char *name)
{
	return mg_cat_table(ctx->cat, schema, name);
}

enum mg_origin mg_lint_gen_origin(const struct mg_lint_ctx *ctx, unsigned gen)
{
	if (gen == 0)
		return MG_ORIGIN_UNKNOWN;
	if (gen == ctx->gen)
		return MG_ORIGIN_NEW;
	if (ctx->up_gen && gen == ctx->up_gen)
		return MG_ORIGIN_UPGRADE;
	return MG_ORIGIN_EXISTING;
}

enum mg_origin mg_lint_table_origin(const struct mg_lint_ctx *ctx,
				    const struct mg_cat_table *t)
{
	if (!t || t->stub)
		return MG_ORIGIN_UNKNOWN;
	return mg_lint_gen_origin(ctx, t->gen);
}

enum mg_origin mg_lint_column_origin(const struct mg_lint_ctx *ctx,
				     const struct mg_cat_table *t,
				     const struct mg_cat_column *c)
{
	enum mg_origin to = mg_lint_table_origin(ctx, t);

	if (!c || to == MG_ORIGIN_NEW)
		return to;
	if (c->gen == 0)
		return to;
	return mg_lint_gen_origin(ctx, c->gen);
}

bool mg_lint_rv_is_new(const struct mg_lint_ctx *ctx, const cJSON *rangevar)
{
	return mg_lint_table_origin(ctx, mg_lint_table(ctx, rangevar)) == MG_ORIGIN_NEW;
}

/* ---- locks -------------------------------------------------------------- */

const char *mg_lock_mode_name(enum mg_lock_mode m)
{
	static const char *const names[] = {
		"", "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE",
		"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE",
		"EXCLUSIVE", "ACCESS EXCLUSIVE"
	};
	return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : "";
}

const char *mg_lock_mode_blocks(enum mg_lock_mode m)
{
	switch (m) {
	case MG_LOCK_ACCESS_EXCLUSIVE: return "reads and writes";
	case MG_LOCK_EXCLUSIVE: return "writes and row locks; plain reads go on";
	case MG_LOCK_SHARE_ROW_EXCLUSIVE: return "writes";
	case MG_LOCK_SHARE: return "writes";
	case MG_LOCK_SHARE_UPDATE_EXCLUSIVE:
		return "schema changes and VACUUM; reads and writes go on";
	case MG_LOCK_ROW_EXCLUSIVE:
		return "schema changes and CREATE INDEX; reads and writes go on";
	case MG_LOCK_ROW_SHARE: return "EXCLUSIVE and ACCESS EXCLUSIVE locks only";
	case MG_LOCK_ACCESS_SHARE: return "ACCESS EXCLUSIVE locks only";
	default: return "nothing";
	}
}

bool mg_lock_conflicts(enum mg_lock_mode a, enum mg_lock_mode b)
{
	/* PostgreSQL's table of conflicting lock modes, as bit masks */
	static const unsigned conflicts[9] = {
		0,
		1u << MG_LOCK_ACCESS_EXCLUSIVE,
		(1u << MG_LOCK_EXCLUSIVE) | (1u << MG_LOCK_ACCESS_EXCLUSIVE),
		(1u << MG_LOCK_SHARE) | (1u << MG_LOCK_SHARE_ROW_EXCLUSIVE) |
			(1u << MG_LOCK_EXCLUSIVE) | (1u << MG_LOCK_ACCESS_EXCLUSIVE),
		(1u << MG_LOCK_SHARE_UPDATE_EXCLUSIVE) | (1u << MG_LOCK_SHARE) |
			(1u << MG_LOCK_SHARE_ROW_EXCLUSIVE) | (1u << MG_LOCK_EXCLUSIVE) |
			(1u << MG_LOCK_ACCESS_EXCLUSIVE),
		(1u << MG_LOCK_ROW_EXCLUSIVE) | (1u << MG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
			(1u << MG_LOCK_SHARE_ROW_EXCLUSIVE) | (1u << MG_LOCK_EXCLUSIVE) |
			(1u << MG_LOCK_ACCESS_EXCLUSIVE),
		(1u << MG_LOCK_ROW_EXCLUSIVE) | (1u << MG_LOCK_SHARE_UPDATE_EXCLUSIVE) |
			(1u << MG_LOCK_SHARE) | (1u << MG_LOCK_SHARE_ROW_EXCLUSIVE) |
			(1u << MG_LOCK_EXCLUSIVE) | (1u << MG_LOCK_ACCESS_EXCLUSIVE),
		(1u << MG_LOCK_ROW_SHARE) | (1u << MG_LOCK_ROW_EXCLUSIVE) |
			(1u << MG_LOCK_SHARE_UPDATE_EXCLUSIVE) | (1u << MG_LOCK_SHARE) |
			(1u << MG_LOCK_SHARE_ROW_EXCLUSIVE) | (1u << MG_LOCK_EXCLUSIVE) |
			(1u << MG_LOCK_ACCESS_EXCLUSIVE),
		0x1feu,
	};
	if ((unsigned)a > 8 || (unsigned)b > 8 || !a || !b)
		return false;
	return (conflicts[a] >> b) & 1u;
}

struct lockset {
	struct mg_lock *v;
	size_t n, max;
};

static struct mg_lock *lock_add(struct mg_lint_ctx *ctx, struct lockset *ls,
				const char *schema, const char *rel,
				enum mg_lock_mode mode)
{
	struct mg_lock *l;
	const struct mg_cat_table *t;

	if (!rel || mode == MG_LOCK_NONE)
		return NULL;
	for (size_t i = 0; i < ls->n; i++) {
		l = &ls->v[i];
		if (!strcmp(l->relation, rel) &&
		    !strcmp(l->schema, schema && schema[0] ? schema : "public")) {
			if (mode > l->mode)
				l->mode = mode;
			return l;
		}
	}
	if (ls->n >= ls->max)
		return NULL;
	l = &ls->v[ls->n++];
	memset(l, 0, sizeof(*l));
	l->mode = mode;
	cat3(l->schema, sizeof(l->schema), schema && schema[0] ? schema : "public", "", "");
	cat3(l->relation, sizeof(l->relation), rel, "", "");
	t = mg_cat_table(ctx->cat, schema, rel);
	l->origin = mg_lint_table_origin(ctx, t);
	return l;
}

static struct mg_lock *lock_rv(struct mg_lint_ctx *ctx, struct lockset *ls,
			       const cJSON *rv, enum mg_lock_mode mode)
{
	if (mg_node_get(rv, "RangeVar"))
		rv = mg_node_get(rv, "RangeVar");
	return lock_add(ctx, ls, mg_node_str(rv, "schemaname"),
			mg_node_str(rv, "relname"), mode);
}

static enum mg_lock_mode reloptions_lock(const cJSON *list)
{
	static const char *const sue[] = {
		"fillfactor", "toast_tuple_target", "parallel_workers",
		"vacuum_index_cleanup", "vacuum_truncate",
		"log_autovacuum_min_duration", NULL
	};
	const cJSON *it;
	enum mg_lock_mode m = MG_LOCK_SHARE_UPDATE_EXCLUSIVE;

	if (mg_node_get(list, "List"))
		list = mg_node_get(mg_node_get(list, "List"), "items");
	cJSON_ArrayForEach(it, list) {
		const cJSON *de = mg_node_get(it, "DefElem");
		const char *n = mg_node_str(de, "defname");
		bool ok = false;
		if (!n)
			continue;
		if (!strncmp(n, "autovacuum_", 11))
			ok = true;
		for (size_t i = 0; !ok && sue[i]; i++)
			ok = !strcmp(sue[i], n);
		if (!ok)
			m = MG_LOCK_ACCESS_EXCLUSIVE;
	}
	return m;
}

/* Does ADD COLUMN with this ColumnDef rewrite the table? */
static bool add_column_rewrites(struct mg_lint_ctx *ctx, const cJSON *cd)
{
	const cJSON *it;
	struct mg_type ty;

	if (mg_type_from_node(mg_node_get(cd, "typeName"), &ty) && ty.serial)
		return true;
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *k = mg_node_get(it, "Constraint");
		const char *ct = mg_node_str(k, "contype");
		if (!ct)
			continue;
		if (!strcmp(ct, "CONSTR_GENERATED") || !strcmp(ct, "CONSTR_IDENTITY"))
			return true;
		if (!strcmp(ct, "CONSTR_DEFAULT")) {
			struct mg_vol_result vr;
			if (pg_version(ctx->e) < 11)
				return true;
			mg_volatility_expr(ctx->cat, mg_node_get(k, "raw_expr"), &vr);
			if (vr.vol == MG_VOL_VOLATILE)
				return true;
		}
	}
	return false;
}

static void inline_fk_locks(struct mg_lint_ctx *ctx, struct lockset *ls,
			    const cJSON *cd)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, mg_node_get(cd, "constraints")) {
		const cJSON *k = mg_node_get(it, "Constraint");
		const char *ct = mg_node_str(k, "contype");
		if (ct && !strcmp(ct, "CONSTR_FOREIGN"))
			lock_rv(ctx, ls, mg_node_get(k, "pktable"),
				MG_LOCK_SHARE_ROW_EXCLUSIVE);
	}
}

static void alter_table_locks(struct mg_lint_ctx *ctx, const cJSON *n,
			      struct lockset *ls)
{
	const cJSON *rv = mg_node_get(n, "relation");
	const char *ot = mg_node_str(n, "objtype");
	const struct mg_cat_table *t = mg_cat_table_rv(ctx->cat, rv);
	enum mg_lock_mode mode = MG_LOCK_NONE;
	bool rewrite = false, scan = false;
	struct mg_lock *main;
	const cJSON *it;

	if (ot && strcmp(ot, "OBJECT_TABLE") && strcmp(ot, "OBJECT_FOREIGN_TABLE")) {
		lock_rv(ctx, ls, rv, MG_LOCK_ACCESS_EXCLUSIVE);
		return;
	}
	main = lock_rv(ctx, ls, rv, MG_LOCK_ACCESS_SHARE); /* first slot */
	cJSON_ArrayForEach(it, mg_node_get(n, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *st = mg_node_str(cmd, "subtype");
		const cJSON *def = mg_node_get(cmd, "def");
		enum mg_lock_mode m = MG_LOCK_ACCESS_EXCLUSIVE;
		if (!st)
			continue;
		if (!strcmp(st, "AT_SetStatistics") || !strcmp(st, "AT_ClusterOn") ||
		    !strcmp(st, "AT_DropCluster") || !strcmp(st, "AT_SetOptions") ||
		    !strcmp(st, "AT_ResetOptions") ||
		    !strcmp(st, "AT_DetachPartitionFinalize")) {
			m = MG_LOCK_SHARE_UPDATE_EXCLUSIVE;
		} else if (!strcmp(st, "AT_ValidateConstraint")) {
			m = MG_LOCK_SHARE_UPDATE_EXCLUSIVE;
			scan = true;
		} else if (!strncmp(st, "AT_EnableTrig", 13) ||
			   !strncmp(st, "AT_DisableTrig", 14) ||
			   !strcmp(st, "AT_EnableAlwaysTrig") ||
			   !strcmp(st, "AT_EnableReplicaTrig")) {
			m = MG_LOCK_SHARE_ROW_EXCLUSIVE;
		} else if (!strcmp(st, "AT_SetRelOptions") ||
			   !strcmp(st, "AT_ResetRelOptions")) {
			m = reloptions_lock(def);
		} else if (!strcmp(st, "AT_AttachPartition")) {
			const cJSON *pc = mg_node_get(def, "PartitionCmd");
			m = MG_LOCK_SHARE_UPDATE_EXCLUSIVE;
			lock_rv(ctx, ls, mg_node_get(pc, "name"), MG_LOCK_ACCESS_EXCLUSIVE);
			scan = true;
		} else if (!strcmp(st, "AT_DetachPartition")) {
			const cJSON *pc = mg_node_get(def, "PartitionCmd");
			m = mg_node_bool(pc, "concurrent") ? MG_LOCK_SHARE_UPDATE_EXCLUSIVE :
							      MG_LOCK_ACCESS_EXCLUSIVE;
			lock_rv(ctx, ls, mg_node_get(pc, "name"), MG_LOCK_ACCESS_EXCLUSIVE);
		} else if (!strcmp(st, "AT_AddConstraint")) {
			const cJSON *k = mg_node_get(def, "Constraint");
			const char *ct = mg_node_str(k, "contype");
			bool not_valid = mg_node_bool(k, "skip_validation");
			if (ct && !strcmp(ct, "CONSTR_FOREIGN")) {
				m = MG_LOCK_SHARE_ROW_EXCLUSIVE;
				lock_rv(ctx, ls, mg_node_get(k, "pktable"),
					MG_LOCK_SHARE_ROW_EXCLUSIVE);
				if (!not_valid)
					scan = true;
			} else if (ct && (!strcmp(ct, "CONSTR_PRIMARY") ||
					  !strcmp(ct, "CONSTR_UNIQUE") ||
					  !strcmp(ct, "CONSTR_EXCLUSION"))) {
				if (!mg_node_str(k, "indexname"))
					scan = true; /* builds an index */
			} else if (!not_valid) {
				scan = true;
			}
		} else if (!strcmp(st, "AT_AddColumn")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			inline_fk_locks(ctx, ls, cd);
			if (add_column_rewrites(ctx, cd))
				rewrite = true;
		} else if (!strcmp(st, "AT_AlterColumnType")) {
			const cJSON *cd = mg_node_get(def, "ColumnDef");
			const struct mg_cat_column *c =
				mg_cat_column(t, mg_node_str(cmd, "name"));
			struct mg_type to;
			enum mg_coerce co = MG_COERCE_UNKNOWN;
			if (c && mg_type_from_node(mg_node_get(cd, "typeName"), &to))
				co = mg_type_coerce(&c->type, &to, pg_version(ctx->e), NULL);
			if (co != MG_COERCE_SAME && co != MG_COERCE_BINARY)
				rewrite = true;
			if (mg_node_get(cd, "raw_default"))
				rewrite = true; /* USING: every row is converted */
		} else if (!strcmp(st, "AT_SetNotNull")) {
			if (!(pg_version(ctx->e) >= 12 &&
			      mg_cat_notnull_check(t, mg_node_str(cmd, "name"))))
				scan = true;
		} else if (!strcmp(st, "AT_SetLogged") || !strcmp(st, "AT_SetUnLogged") ||
			   !strcmp(st, "AT_SetTableSpace") ||
			   !strcmp(st, "AT_SetAccessMethod")) {
			rewrite = true;
		}
		if (m > mode)
			mode = m;
	}
	if (main) {
		main = &ls->v[0];
		main->mode = mode ? mode : MG_LOCK_ACCESS_EXCLUSIVE;
		main->rewrite = rewrite;
		main->scan = scan || rewrite;
	}
}

/* Lock guesses from the tokens of a statement the grammar could not parse:
 * ALTER TABLE x, CREATE [UNIQUE] INDEX [CONCURRENTLY] ... ON x, DROP TABLE x. */
static void token_locks(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			struct lockset *ls)
{
	size_t n, i = 0;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	char a[64], b[64];
	bool conc;

	if (!t || n < 3)
		return;
	if (mg_lint_tok_match(ctx, st, 0, "ALTER", "TABLE", NULL)) {
		i = 2;
		if (mg_lint_tok_match(ctx, st, i, "IF", "EXISTS", NULL))
			i += 2;
		if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
			i++;
		if (i >= n)
			return;
		if (i + 2 < n && ctx->src->text[t[i + 1].off] == '.') {
			mg_lint_tok_ident(ctx, &t[i], a, sizeof(a));
			mg_lint_tok_ident(ctx, &t[i + 2], b, sizeof(b));
			lock_add(ctx, ls, a, b, MG_LOCK_ACCESS_EXCLUSIVE);
		} else {
			mg_lint_tok_ident(ctx, &t[i], b, sizeof(b));
			lock_add(ctx, ls, NULL, b, MG_LOCK_ACCESS_EXCLUSIVE);
		}
		return;
	}
	if (mg_lint_tok_match(ctx, st, 0, "CREATE", NULL) &&
	    (mg_lint_tok_match(ctx, st, 1, "INDEX", NULL) ||
	     mg_lint_tok_match(ctx, st, 1, "UNIQUE", "INDEX", NULL))) {
		conc = mg_lint_tok_find(ctx, st, 0, "CONCURRENTLY") < n;
		i = mg_lint_tok_find(ctx, st, 0, "ON");
		if (i + 1 >= n)
			return;
		i++;
		if (mg_lint_tok_match(ctx, st, i, "ONLY", NULL))
			i++;
		if (i >= n)
			return;
		mg_lint_tok_ident(ctx, &t[i], b, sizeof(b));
		if (i + 2 < n && ctx->src->text[t[i + 1].off] == '.') {
			mg_lint_tok_ident(ctx, &t[i + 2], a, sizeof(a));
			lock_add(ctx, ls, b, a, conc ? MG_LOCK_SHARE_UPDATE_EXCLUSIVE : MG_LOCK_SHARE);
		} else {
			lock_add(ctx, ls, NULL, b, conc ? MG_LOCK_SHARE_UPDATE_EXCLUSIVE : MG_LOCK_SHARE);
		}
	}
}

static void compute_locks(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			  struct lockset *ls)
{
	const cJSON *n = st->node;
	const char *k = st->kind;
	const cJSON *it;

	if (!n || !k) {
		token_locks(ctx, st, ls);
		return;
	}
	if (!strcmp(k, "AlterTableStmt")) {
		alter_table_locks(ctx, n, ls);
	} else if (!strcmp(k, "IndexStmt")) {
		struct mg_lock *l = lock_rv(ctx, ls, mg_node_get(n, "relation"),
					    mg_node_bool(n, "concurrent") ?
					    MG_LOCK_SHARE_UPDATE_EXCLUSIVE : MG_LOCK_SHARE);
		if (l)
			l->scan = true;
	} else if (!strcmp(k, "DropStmt")) {
		const char *rt = mg_node_str(n, "removeType");
		bool conc = mg_node_bool(n, "concurrent");
		if (!rt)
			return;
		cJSON_ArrayForEach(it, mg_node_get(n, "objects")) {
			const cJSON *items = mg_node_get(mg_node_get(it, "List"), "items");
			const char *a = NULL, *b = NULL;
			const cJSON *x;
			cJSON_ArrayForEach(x, items) {
				a = b;
				b = mg_lint_strval(x);
			}
			if (!b)
				continue;
			if (!strcmp(rt, "OBJECT_INDEX")) {
				const struct mg_cat_index *ix = mg_cat_index(ctx->cat, a, b);
				enum mg_lock_mode m = conc ? MG_LOCK_SHARE_UPDATE_EXCLUSIVE :
							     MG_LOCK_ACCESS_EXCLUSIVE;
				if (ix)
					lock_add(ctx, ls, ix->schema, ix->table, m);
				else
					lock_add(ctx, ls, a, b, m);
			} else if (!strcmp(rt, "OBJECT_TABLE") || !strcmp(rt, "OBJECT_VIEW") ||
				   !strcmp(rt, "OBJECT_MATVIEW") ||
				   !strcmp(rt, "OBJECT_SEQUENCE") ||
				   !strcmp(rt, "OBJECT_FOREIGN_TABLE")) {
				lock_add(ctx, ls, a, b, MG_LOCK_ACCESS_EXCLUSIVE);
			}
		}
	} else if (!strcmp(k, "TruncateStmt")) {
		cJSON_ArrayForEach(it, mg_node_get(n, "relations"))
			lock_rv(ctx, ls, it, MG_LOCK_ACCESS_EXCLUSIVE);
	} else if (!strcmp(k, "RenameStmt")) {
		const char *rt = mg_node_str(n, "renameType");
		if (rt && !strcmp(rt, "OBJECT_INDEX")) {
			const cJSON *rv = mg_node_get(n, "relation");
			const struct mg_cat_index *ix = mg_cat_index(ctx->cat,
				mg_node_str(rv, "schemaname"), mg_node_str(rv, "relname"));
			if (ix)
				lock_add(ctx, ls, ix->schema, ix->table,
					 MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
		} else if (mg_node_get(n, "relation")) {
			lock_rv(ctx, ls, mg_node_get(n, "relation"), MG_LOCK_ACCESS_EXCLUSIVE);
		}
	} else if (!strcmp(k, "VacuumStmt")) {
		bool full = false;
		cJSON_ArrayForEach(it, mg_node_get(n, "options")) {
			const char *dn = mg_node_str(mg_node_get(it, "DefElem"), "defname");
			if (dn && !strcmp(dn, "full"))
				full = true;
		}
		cJSON_ArrayForEach(it, mg_node_get(n, "rels")) {
			struct mg_lock *l = lock_rv(ctx, ls,
				mg_node_get(mg_node_get(it, "VacuumRelation"), "relation"),
				full ? MG_LOCK_ACCESS_EXCLUSIVE : MG_LOCK_SHARE_UPDATE_EXCLUSIVE);
			if (l && full)
				l->rewrite = l->scan = true;
		}
	} else if (!strcmp(k, "ClusterStmt")) {
		struct mg_lock *l = lock_rv(ctx, ls, mg_node_get(n, "relation"),
					    MG_LOCK_ACCESS_EXCLUSIVE);
		if (l)
			l->rewrite = l->scan = true;
	} else if (!strcmp(k, "ReindexStmt")) {
		bool conc = false;
		cJSON_ArrayForEach(it, mg_node_get(n, "params")) {
			const char *dn = mg_node_str(mg_node_get(it, "DefElem"), "defname");
			if (dn && !strcmp(dn, "concurrently"))
				conc = true;
		}
		{
			struct mg_lock *l = lock_rv(ctx, ls, mg_node_get(n, "relation"),
				conc ? MG_LOCK_SHARE_UPDATE_EXCLUSIVE : MG_LOCK_SHARE);
			if (l)
				l->scan = true;
		}
	} else if (!strcmp(k, "RefreshMatViewStmt")) {
		struct mg_lock *l = lock_rv(ctx, ls, mg_node_get(n, "relation"),
			mg_node_bool(n, "concurrent") ? MG_LOCK_EXCLUSIVE :
							MG_LOCK_ACCESS_EXCLUSIVE);
		if (l)
			l->scan = true;
	} else if (!strcmp(k, "LockStmt")) {
		int m = mg_node_int(n, "mode", MG_LOCK_ACCESS_EXCLUSIVE);
		if (m < 1 || m > 8)
			m = MG_LOCK_ACCESS_EXCLUSIVE;
		cJSON_ArrayForEach(it, mg_node_get(n, "relations"))
			lock_rv(ctx, ls, it, (enum mg_lock_mode)m);
	} else if (!strcmp(k, "CreateTrigStmt")) {
		lock_rv(ctx, ls, mg_node_get(n, "relation"), MG_LOCK_SHARE_ROW_EXCLUSIVE);
	} else if (!strcmp(k, "CreateStmt")) {
		const cJSON *el;
		if (mg_node_get(n, "partbound"))
			cJSON_ArrayForEach(it, mg_node_get(n, "inhRelations"))
				lock_rv(ctx, ls, it, MG_LOCK_ACCESS_EXCLUSIVE);
		cJSON_ArrayForEach(el, mg_node_get(n, "tableElts")) {
			const cJSON *con = mg_node_get(el, "Constraint");
			const char *ct = mg_node_str(con, "contype");
			if (ct && !strcmp(ct, "CONSTR_FOREIGN"))
				lock_rv(ctx, ls, mg_node_get(con, "pktable"),
					MG_LOCK_SHARE_ROW_EXCLUSIVE);
			inline_fk_locks(ctx, ls, mg_node_get(el, "ColumnDef"));
		}
	} else if (!strcmp(k, "UpdateStmt") || !strcmp(k, "DeleteStmt") ||
		   !strcmp(k, "InsertStmt") || !strcmp(k, "MergeStmt")) {
		struct mg_lock *l = lock_rv(ctx, ls, mg_node_get(n, "relation"),
					    MG_LOCK_ROW_EXCLUSIVE);
		if (l && strcmp(k, "InsertStmt"))
			l->scan = !mg_node_get(n, "whereClause");
	} else if (!strcmp(k, "CommentStmt")) {
		/* SHARE UPDATE EXCLUSIVE on the object: harmless, not named */
	}
}

static struct stmt_info *ensure_locks(struct mg_lint_ctx *ctx,
				      const struct mg_lint_stmt *st)
{
	struct stmt_info *si = info_of(ctx, st);
	struct mg_lock buf[MAX_STMT_LOCKS];
	struct lockset ls;

	if (!si)
		return NULL;
	if (!si->locks_done) {
		ls.v = buf;
		ls.n = 0;
		ls.max = MAX_STMT_LOCKS;
		/* SQLite locks the whole database file, not tables */
		if (dialect(ctx->e) != MG_LINT_SQLITE)
			compute_locks(ctx, &si->ls, &ls);
		/* kept at their size, none for most statements (an 8-lock
		 * calloc per statement was a visible share of the walk) */
		if (ls.n) {
			si->locks = mg_xmalloc(ls.n * sizeof(*si->locks));
			memcpy(si->locks, buf, ls.n * sizeof(*si->locks));
		}
		si->nlocks = ls.n;
		si->locks_done = true;
	}
	return si;
}

size_t mg_lint_stmt_locks(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			  struct mg_lock *out, size_t max)
{
	struct stmt_info *si = ensure_locks(ctx, st);
	size_t n;

	if (!si)
		return 0;
	n = si->nlocks < max ? si->nlocks : max;
	if (n)
		memcpy(out, si->locks, n * sizeof(*out));
	return n;
}

bool mg_lint_stmt_lock(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       struct mg_lock *out)
{
	struct stmt_info *si = ensure_locks(ctx, st);

	if (!si || !si->nlocks || si->locks[0].mode == MG_LOCK_NONE)
		return false;
	*out = si->locks[0];
	return true;
}

size_t mg_lint_txn_locks(const struct mg_lint_ctx *ctx,
			 const struct mg_txn_lock **out)
{
	*out = ctx->tx;
	return ctx->ntx;
}

/* ---- transactions ------------------------------------------------------- */

enum txn_kind { TX_NONE, TX_BEGIN, TX_END, TX_OTHER };

static enum txn_kind txn_kind(struct mg_lint_ctx *ctx, struct stmt_info *si)
{
	const char *k = si->ls.kind;

	if (k) {
		const char *tk;
		if (strcmp(k, "TransactionStmt"))
			return TX_NONE;
		tk = mg_node_str(si->ls.node, "kind");
		if (!tk)
			return TX_OTHER;
		if (!strcmp(tk, "TRANS_STMT_BEGIN") || !strcmp(tk, "TRANS_STMT_START"))
			return TX_BEGIN;
		if ((!strcmp(tk, "TRANS_STMT_COMMIT") || !strcmp(tk, "TRANS_STMT_ROLLBACK")) &&
		    !mg_node_bool(si->ls.node, "chain"))
			return TX_END;
		if (!strcmp(tk, "TRANS_STMT_PREPARE"))
			return TX_END;
		return TX_OTHER;
	}
	/* unparsed: look at the first tokens */
	if (mg_lint_tok_match(ctx, &si->ls, 0, "BEGIN", NULL) ||
	    mg_lint_tok_match(ctx, &si->ls, 0, "START", "TRANSACTION", NULL))
		return TX_BEGIN;
	if (mg_lint_tok_match(ctx, &si->ls, 0, "COMMIT", NULL) ||
	    mg_lint_tok_match(ctx, &si->ls, 0, "END", NULL) ||
	    (mg_lint_tok_match(ctx, &si->ls, 0, "ROLLBACK", NULL) &&
	     !mg_lint_tok_match(ctx, &si->ls, 1, "TO", NULL)))
		return TX_END;
	return TX_NONE;
}

static void mark_transactions(struct mg_lint_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nst; i++) {
		struct stmt_info *si = &ctx->st[i];
		enum txn_kind k = txn_kind(ctx, si);
		if (k == TX_BEGIN && !ctx->tx_in) {
			ctx->tx_in = true;
			ctx->tx_expl = true;
			ctx->tx_num = ctx->tx_next++;
		}
		si->ls.in_txn = ctx->tx_in;
		si->ls.explicit_txn = ctx->tx_in && ctx->tx_expl;
		si->ls.txn = ctx->tx_in ? ctx->tx_num : 0;
		if (k == TX_END && ctx->tx_in) {
			si->ends_txn = true;
			ctx->tx_in = false;
			ctx->tx_expl = false;
			ctx->tx_num = 0;
		}
	}
}

/* Add statement i's locks to the open transaction's record: one entry per
 * relation, with the strongest mode taken so far and the statement that
 * first took that mode (so the record stays as small as the number of
 * relations, whatever the number of statements). */
static void record_txn_locks(struct mg_lint_ctx *ctx, size_t i)
{
	struct stmt_info *si = &ctx->st[i];

	if (!si->ls.in_txn || si->ends_txn) {
		ctx->ntx = 0;
		return;
	}
	ensure_locks(ctx, &si->ls);
	for (size_t k = 0; k < si->nlocks; k++) {
		const struct mg_lock *l = &si->locks[k];
		struct mg_txn_lock *t = NULL;
		for (size_t j = 0; j < ctx->ntx; j++) {
			if (!strcmp(ctx->tx[j].lock.relation, l->relation) &&
			    !strcmp(ctx->tx[j].lock.schema, l->schema)) {
				t = &ctx->tx[j];
				break;
			}
		}
		if (t) {
			if (l->mode <= t->lock.mode) {
				t->lock.rewrite |= l->rewrite;
				t->lock.scan |= l->scan;
				continue;
			}
		} else {
			MG_GROW(ctx->tx, ctx->captx, ctx->ntx + 1);
			t = &ctx->tx[ctx->ntx++];
		}
		t->lock = *l;
		t->stmt_index = ctx->base + i;
		t->off = si->ls.stmt->off;
	}
}

/* ---- the script walk ---------------------------------------------------- */

static bool kind_matches(const struct mg_rule *r, const char *kind)
{
	if (!r->kinds)
		return true;
	for (size_t i = 0; r->kinds[i]; i++)
		if (!strcmp(r->kinds[i], kind))
			return true;
	return false;
}

static void report_ignores(struct mg_lint_ctx *ctx, bool at_end)
{
	char msg[512];

	for (size_t i = 0; i < ctx->sup.n; i++) {
		const struct mg_suppress_entry *en = &ctx->sup.v[i];
		if (!at_end && !en->known) {
			const char *sug = mg_rule_suggest(en->rule);
			char help[256];
			snprintf(msg, sizeof(msg), "unknown rule '%s' in lint-ignore",
				 en->rule);
			if (sug)
				snprintf(help, sizeof(help), "did you mean '%s'? "
					 "'migrate lint --list-rules' lists the rule ids",
					 sug);
			else
				snprintf(help, sizeof(help), "'migrate lint --list-rules' "
					 "lists the rule ids");
			engine_diag(ctx, SIZE_MAX, en->rule_off, strlen(en->rule),
				    "unknown-rule", msg, help);
		}
		if (at_end && en->known && !en->used) {
			long ri = mg_rule_index(en->rule);
			if (ri >= 0 && ctx->e->sev[ri] == MG_SEV_OFF)
				continue; /* the rule is off: nothing to suppress */
			if (ri < 0 && mg_engine_severity(ctx->e->opts, en->rule,
						MG_SEV_WARNING) == MG_SEV_OFF)
				continue;
			if (en->stmt == MG_SUPPRESS_NOWHERE)
				snprintf(msg, sizeof(msg), "lint-ignore '%s' is not "
					 "followed by any statement", en->rule);
			else
				snprintf(msg, sizeof(msg), "lint-ignore '%s' suppresses "
					 "nothing: no '%s' finding on %s", en->rule,
					 en->rule, en->stmt == MG_SUPPRESS_FILE ?
					 "this script" : "the next statement");
			engine_diag(ctx, SIZE_MAX, en->rule_off, strlen(en->rule),
				    "unused-ignore", msg, NULL);
		}
	}
	if (at_end)
		return;
	/* one reason check per directive */
	for (size_t i = 0; i < ctx->sup.n; i++) {
		const struct mg_directive *d = ctx->sup.v[i].dir;
		if (i && ctx->sup.v[i - 1].dir == d)
			continue;
		if (!d->reason) {
			snprintf(msg, sizeof(msg), "lint-ignore without a reason");
			engine_diag(ctx, SIZE_MAX, d->off, d->end > d->off ?
				    d->end - d->off - (ctx->src->text[d->end - 1] == '\n') : 0,
				    "ignore-without-reason", msg, NULL);
		}
	}
}

struct order {
	size_t off, seq;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort findings by position, keeping the order of equal positions
 * (O(n log n) whatever order the rules reported in). */
static void stable_sort(struct mg_diags *l)
{
	struct order *o;
	struct mg_diag *v;
	bool sorted = true;

	for (size_t i = 1; i < l->n && sorted; i++)
		sorted = l->v[i - 1].off <= l->v[i].off;
	if (sorted)
		return;
	o = mg_xcalloc(l->n, sizeof(*o));
	for (size_t i = 0; i < l->n; i++) {
		o[i].off = l->v[i].off;
		o[i].seq = i;
	}
	qsort(o, l->n, sizeof(*o), cmp_order);
	v = mg_xcalloc(l->cap ? l->cap : 1, sizeof(*v));
	for (size_t i = 0; i < l->n; i++)
		v[i] = l->v[o[i].seq];
	free(l->v);
	l->v = v;
	free(o);
}

/* The kind_rules of `kind`, made on first use. */
static const struct kind_rules *rules_for(struct mg_engine *e, const char *kind)
{
	struct kind_rules *kr = mg_strmap_get(&e->by_kind, kind);

	if (kr)
		return kr;
	kr = mg_xcalloc(1, sizeof(*kr));
	kr->rules = mg_xcalloc(e->nrules + 1, sizeof(*kr->rules));
	for (size_t r = 0; r < e->nrules; r++)
		if (e->sev[r] != MG_SEV_OFF && mg_rules[r]->check &&
		    kind_matches(mg_rules[r], kind))
			kr->rules[kr->n++] = (unsigned)r;
	mg_strmap_put(&e->by_kind, kind, kr);
	return kr;
}

/* Run the enabled rules on statement i: `check` of those that want its
 * kind, or, for a statement the grammar could not parse (tokens_only),
 * every `check_tokens`. A parsed statement always has a kind (libpg_query
 * writes every node as {"NodeName": {...}}). */
static void run_rules(struct mg_lint_ctx *ctx, size_t i, bool tokens_only)
{
	struct stmt_info *si = &ctx->st[i];

	ctx->cur = i;
	if (tokens_only) {
		for (size_t r = 0; r < ctx->e->nrules; r++) {
			if (ctx->e->sev[r] == MG_SEV_OFF || !mg_rules[r]->check_tokens)
				continue;
			ctx->rule_idx = r;
			mg_rules[r]->check_tokens(ctx, &si->ls);
		}
	} else if (si->ls.kind) {
		const struct kind_rules *kr = rules_for(ctx->e, si->ls.kind);
		for (size_t k = 0; k < kr->n; k++) {
			ctx->rule_idx = kr->rules[k];
			mg_rules[kr->rules[k]]->check(ctx, &si->ls);
		}
	}
	ctx->rule_idx = SIZE_MAX;
}

#ifdef MG_HAVE_SQLITE_SPLIT
/* Validate a SQLite script with SQLite's own parser; the first syntax
 * error is kept for the end of the walk (sqlite_report). */
static void sqlite_validate(struct mg_lint_ctx *ctx)
{
	struct mg_sqlite_split sp;
	struct mg_err err = MG_ERR_INIT;

	memset(&sp, 0, sizeof(sp));
	if (mg_sqlite_split(NULL, ctx->src, ctx->in->off, ctx->in->end, &sp, &err)) {
		/* the error is positioned by line:col; find its offset */
		ctx->sqlite_err_off = err.line ? line_col_off(ctx->src, err.line, err.col) :
						 ctx->in->off;
		ctx->sqlite_err = mg_xstrdup(err.msg ? err.msg : "syntax error");
	}
	mg_err_release(&err);
	mg_sqlite_split_release(&sp);
}
#endif

/* Report SQLite's syntax error unless a rule already explained why the
 * statement fails (mg_report_opt.fails, or an error of a SQLite-only rule:
 * sqlite-unsupported-alter says why ALTER COLUMN fails better than
 * "near ALTER: syntax error"). */
static void sqlite_report(struct mg_lint_ctx *ctx)
{
	size_t si;

	if (!ctx->sqlite_err)
		return;
	si = stmt_of(ctx, ctx->sqlite_err_off);
	if (si < ctx->nst && ctx->st[si].explained)
		return;
	engine_diag(ctx, si, ctx->sqlite_err_off, 0, "syntax-error", ctx->sqlite_err,
		    "SQLite's own parser rejects this statement: fix the SQL "
		    "(sqlite.org/lang.html has the syntax SQLite accepts)");
}

static void free_window(struct mg_lint_ctx *ctx)
{
	for (size_t i = 0; i < ctx->nst; i++) {
		free(ctx->st[i].toks);
		free(ctx->st[i].locks);
		if (!ctx->st[i].ls.stmt->tree)
			free((void *)ctx->st[i].ls.tokens);
	}
	free(ctx->st);
	ctx->st = NULL;
	ctx->nst = 0;
	mg_parse_release(&ctx->parse);
}

static void free_ctx(struct mg_lint_ctx *ctx)
{
	free_window(ctx);
	free(ctx->states); /* the buffers are the engine's */
	free(ctx->tx);
	free(ctx->sqlite_err);
	mg_suppress_release(&ctx->sup);
	mg_diags_release(&ctx->found);
}

/* Parse text[off, end) as the next window of the script: its statements
 * become ctx->st[0..nst), numbered from ctx->base. */
static void load_window(struct mg_lint_ctx *ctx, size_t off, size_t end)
{
	const struct mg_script_in *in = ctx->in;

	if (ctx->ahead && off == in->off && end == in->end) {
		ctx->parse = *ctx->ahead; /* parsed ahead: take it over */
		memset(ctx->ahead, 0, sizeof(*ctx->ahead));
		ctx->ahead = NULL;
	} else {
		mg_pg_parse(in->src->text, off, end, &ctx->parse);
	}
	ctx->nst = ctx->parse.n;
	ctx->st = mg_xcalloc(ctx->nst + 1, sizeof(*ctx->st));
	for (size_t i = 0; i < ctx->nst; i++) {
		struct stmt_info *si = &ctx->st[i];
		const struct mg_stmt *s = &ctx->parse.stmts[i];
		si->ls.stmt = s;
		si->ls.kind = s->tree ? s->kind : NULL;
		si->ls.node = s->tree ? mg_node_unwrap(s->tree, NULL) : NULL;
		si->ls.index = ctx->base + i;
		if (!s->tree && !in->silent) {
			struct mg_token *tk = NULL;
			long k = mg_pg_scan(in->src->text, s->off, s->end, &tk);
			si->ls.tokens = tk;
			si->ls.ntokens = k > 0 ? (size_t)k : 0;
		}
	}
}

/* First offset in text[i, end) that is neither blank, comment nor ';'. */
static size_t skip_gap(const char *t, size_t i, size_t end)
{
	while (i < end) {
		if (isspace((unsigned char)t[i]) || t[i] == ';') {
			i++;
		} else if ((t[i] == '-' && i + 1 < end && t[i + 1] == '-') ||
			   (t[i] == '/' && i + 1 < end && t[i + 1] == '*')) {
			i = mg_sql_skip_element(t, i, end);
		} else {
			break;
		}
	}
	return i;
}

/* Never skip silently: text of [from, to) that no statement of the window
 * covers (the scanner's split can lose a statement that starts with an
 * unknown word) is reported where it starts. */
static void check_gaps(struct mg_lint_ctx *ctx, size_t from, size_t to)
{
	const char *t = ctx->src->text;
	size_t at = from;

	if (dialect(ctx->e) == MG_LINT_SQLITE)
		return; /* SQLite's own parser validates the whole script */
	for (size_t i = 0; i <= ctx->nst; i++) {
		size_t next = i < ctx->nst ? ctx->st[i].ls.stmt->off : to;
		size_t g = skip_gap(t, at, next < to ? next : to);
		if (g < next && g < to) {
			bool newer = pg_version(ctx->e) > 15;
			engine_diag(ctx, SIZE_MAX, g, 0,
				    newer ? "unparsed-statement" : "syntax-error",
				    "this text is not a statement the PostgreSQL 15 "
				    "grammar recognises; nothing was checked here",
				    NULL);
		}
		if (i < ctx->nst && ctx->st[i].ls.stmt->end > at)
			at = ctx->st[i].ls.stmt->end;
	}
}

/* Check, then apply, every statement of the current window. */
static void walk_window(struct mg_lint_ctx *ctx)
{
	const struct mg_script_in *in = ctx->in;
	int pgv = pg_version(ctx->e);
	bool sqlite = dialect(ctx->e) == MG_LINT_SQLITE;

	if (in->silent) {
		for (size_t i = 0; i < ctx->nst; i++)
			if (ctx->st[i].ls.node)
				mg_catalog_apply(ctx->cat, ctx->st[i].ls.kind,
						 ctx->st[i].ls.node);
		return;
	}
	mark_transactions(ctx);
	for (size_t i = 0; i < ctx->nst; i++) {
		struct stmt_info *si = &ctx->st[i];
		const struct mg_stmt *s = si->ls.stmt;
		bool prev = i ? true : ctx->tx_prev;
		unsigned prev_txn = i ? ctx->st[i - 1].ls.txn : ctx->tx_prev_txn;
		bool prev_ends = i ? ctx->st[i - 1].ends_txn : ctx->tx_prev_ends;
		if (!si->ls.in_txn || !prev || si->ls.txn != prev_txn || prev_ends)
			ctx->ntx = 0;
		if (s->tree) {
			run_rules(ctx, i, false);
		} else if (ctx->parse.fatal && !sqlite) {
			engine_diag(ctx, i, ctx->parse.fatal_off, 0, "syntax-error",
				    ctx->parse.fatal, "fix the SQL: a string, quoted "
				    "identifier, dollar-quoted body or comment is not "
				    "closed");
		} else if (sqlite) {
			run_rules(ctx, i, true);
		} else if (pgv > 15) {
			char msg[512];
			snprintf(msg, sizeof(msg), "the PostgreSQL 15 grammar cannot "
				 "parse this statement (%s); checked with token-level "
				 "rules only", s->error ? s->error : "syntax error");
			engine_diag(ctx, i, s->error_off, 0, "unparsed-statement",
				    msg, NULL);
			run_rules(ctx, i, true);
		} else {
			engine_diag(ctx, i, s->error_off, 0, "syntax-error",
				    s->error ? s->error : "syntax error", NULL);
		}
		if (in->visit) {
			ctx->cur = i;
			ctx->rule_idx = SIZE_MAX;
			in->visit(ctx, &si->ls, in->visit_arg);
		}
		record_txn_locks(ctx, i);
		if (si->ls.node)
			mg_catalog_apply(ctx->cat, si->ls.kind, si->ls.node);
	}
	if (ctx->nst) {
		ctx->tx_prev = true;
		ctx->tx_prev_txn = ctx->st[ctx->nst - 1].ls.txn;
		ctx->tx_prev_ends = ctx->st[ctx->nst - 1].ends_txn;
	}
}

/* Scripts bigger than this are split by the scanner first; with more than
 * MAX_WINDOW statements they are parsed and walked MAX_WINDOW statements at
 * a time, so memory stays proportional to a window, not to the script
 * (mg_lint_stmt_at then sees the current window only). */
#define WINDOW_BYTES MG_ENGINE_WINDOW_BYTES
#define MAX_WINDOW 2000

int mg_engine_script(struct mg_engine *e, const struct mg_script_in *in,
		     struct mg_diags *out, struct mg_report_summary *sum)
{
	struct mg_lint_ctx ctx;
	struct mg_directives own = { 0 };
	const struct mg_directives *dirs = in->dirs;
	bool savepoint = false;
	size_t *offs = NULL, *spans = NULL;
	long nspans = -1;
	bool windowed = false;

	memset(&ctx, 0, sizeof(ctx));
	ctx.e = e;
	ctx.in = in;
	ctx.src = in->src;
	ctx.path = in->path ? in->path : in->src->path;
	ctx.rule_idx = SIZE_MAX;
	ctx.cur = SIZE_MAX;
	ctx.tx_in = !in->no_tx;
	ctx.tx_num = ctx.tx_in ? 1 : 0;
	ctx.tx_next = ctx.tx_in ? 2 : 1;
	if (in->is_down && in->silent) {
		if (in->parsed)
			mg_parse_release(in->parsed);
		return 0; /* a downgrade never changes the state carried on */
	}
	ctx.cat = e->cat;
	if (in->is_down) {
		/* lint against the state after the upgrade, then undo */
		mg_catalog_savepoint(e->cat);
		savepoint = true;
		ctx.up_gen = in->after_up ? e->last_up_gen : 0;
	}
	ctx.gen = mg_catalog_begin_script(ctx.cat);
	if (!in->is_down)
		e->last_up_gen = ctx.gen;

	if (in->end - in->off > WINDOW_BYTES) {
		char *err = NULL;
		size_t eo;
		nspans = mg_pg_split(in->src->text, in->off, in->end, &spans, &err, &eo);
		free(err);
		windowed = nspans > MAX_WINDOW;
		if (in->parsed)
			mg_parse_release(in->parsed); /* not used for long scripts */
	} else {
		ctx.ahead = in->parsed;
	}
	if (windowed) {
		ctx.total = (size_t)nspans;
		offs = mg_xcalloc(ctx.total + 1, sizeof(*offs));
		for (size_t i = 0; i < ctx.total; i++)
			offs[i] = spans[2 * i];
	} else {
		load_window(&ctx, in->off, in->end);
		if (!in->silent && !ctx.parse.fatal)
			check_gaps(&ctx, in->off, in->end);
		ctx.total = ctx.nst;
		offs = mg_xcalloc(ctx.total + 1, sizeof(*offs));
		for (size_t i = 0; i < ctx.nst; i++)
			offs[i] = ctx.st[i].ls.stmt->off;
	}

	if (!in->silent) {
		if (!dirs) {
			struct mg_err err = MG_ERR_INIT;
			if (mg_directives_scan(in->src, in->off, in->end, &own, &err)) {
				size_t off = err.line ? line_col_off(in->src, err.line,
								     err.col) : in->off;
				engine_diag(&ctx, SIZE_MAX, off, 0, "input-error",
					    err.msg ? err.msg : "bad directive", err.hint);
				mg_directives_release(&own);
			}
			mg_err_release(&err);
			dirs = &own;
		}
		mg_suppress_build(&ctx.sup, dirs, in->off, in->end, offs, ctx.total);
		report_ignores(&ctx, false);
#ifdef MG_HAVE_SQLITE_SPLIT
		if (dialect(e) == MG_LINT_SQLITE)
			sqlite_validate(&ctx);
#endif
	}

	if (!windowed) {
		walk_window(&ctx);
	} else {
		size_t done = 0;
		for (size_t w = 0; w < ctx.total; w += MAX_WINDOW) {
			size_t last = w + MAX_WINDOW < ctx.total ? w + MAX_WINDOW : ctx.total;
			free_window(&ctx);
			ctx.base = done;
			load_window(&ctx, spans[2 * w], spans[2 * (last - 1) + 1]);
			if (!in->silent && !ctx.parse.fatal)
				check_gaps(&ctx, w ? spans[2 * w] : in->off,
					   last < ctx.total ? spans[2 * last] : in->end);
			walk_window(&ctx);
			done += ctx.nst;
		}
		ctx.total = done;
	}
	if (in->silent) {
		free(offs);
		free(spans);
		free_ctx(&ctx);
		if (savepoint)
			mg_catalog_rollback(e->cat);
		return 0;
	}

	ctx.cur = SIZE_MAX;
	for (size_t r = 0; r < e->nrules; r++) {
		if (e->sev[r] == MG_SEV_OFF || !mg_rules[r]->script_end)
			continue;
		ctx.rule_idx = r;
		ctx.cur = SIZE_MAX; /* findings are placed by their offset */
		mg_rules[r]->script_end(&ctx);
	}
	ctx.rule_idx = SIZE_MAX;
	sqlite_report(&ctx);
	report_ignores(&ctx, true);

	stable_sort(&ctx.found);
	for (size_t i = 0; i < ctx.found.n; i++) {
		switch (ctx.found.v[i].severity) {
		case MG_SEV_ERROR: sum->errors++; break;
		case MG_SEV_WARNING: sum->warnings++; break;
		case MG_SEV_INFO: sum->infos++; break;
		default: break;
		}
	}
	sum->statements += ctx.total;
	sum->suppressed += ctx.suppressed;
	mg_diags_append(out, &ctx.found);
	{
		int rc = ctx.input_error ? MG_EINPUT : 0;
		free(offs);
		free(spans);
		free_ctx(&ctx);
		mg_directives_release(&own);
		if (savepoint)
			mg_catalog_rollback(e->cat);
		return rc;
	}
}
