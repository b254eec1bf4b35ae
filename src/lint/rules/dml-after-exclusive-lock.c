/*
 * dml-after-exclusive-lock: real work in a transaction that already holds
 * an ACCESS EXCLUSIVE lock on an existing table.
 *
 * Locks are held until COMMIT. Once a statement has taken ACCESS EXCLUSIVE
 * on a table the application uses (ALTER TABLE, DROP INDEX, LOCK,
 * TRUNCATE, ...), every query on it waits until the transaction ends, so
 * each later statement of the same transaction adds its own run time to
 * the outage.
 *
 * To stay useful, only statements that do real work are reported:
 *   - UPDATE, DELETE, MERGE, COPY, INSERT ... SELECT ... FROM, SELECT ...
 *     FROM, CREATE TABLE AS / SELECT INTO / CREATE MATERIALIZED VIEW,
 *     REFRESH MATERIALIZED VIEW, DO and CALL (a backfill or procedural
 *     code); UPDATE/DELETE/COPY of a table created earlier in the script
 *     and INSERT ... VALUES (a few literal rows) are cheap and quiet;
 *   - a statement that scans or rewrites an existing table (CREATE INDEX,
 *     ADD CONSTRAINT with validation, SET NOT NULL, a type change, ...);
 *   - a statement that must first get a lock of SHARE or stronger (one that
 *     waits for the application's writers) on ANOTHER existing table that
 *     the transaction does not hold yet: it can queue behind a long query
 *     there while the first table stays blocked. Quiet when a lock_timeout
 *     is in effect (SET [LOCAL] lock_timeout earlier in the script), which
 *     bounds that wait; a warning otherwise (it hurts only when such a
 *     query is running: traffic decides).
 * A statement that itself takes ACCESS EXCLUSIVE on the locked table (SET
 * NOT NULL, a rewriting type change, ADD PRIMARY KEY after an ADD COLUMN)
 * is not reported for it: that table is blocked while it runs anyway, and
 * its own rule says so.
 * Cheap statements are quiet: a catalog-only change to the same table (a
 * second ADD COLUMN, SET DEFAULT), COMMENT, SET, GRANT, CREATE FUNCTION /
 * VIEW / TYPE, anything on tables created earlier in the script.
 *
 * A lock held on a table that the transaction DROPPED is ignored (nobody
 * can use that table any more), unless a table of the same name was
 * created again afterwards (a swap: queries on the name wait for COMMIT).
 *
 * Reported once per transaction, at the first such statement, naming the
 * locked table and the statement that took the lock (a lock-queue warning
 * does not hide later real work, which is still reported).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

struct state {
	unsigned reported_txn; /* transaction already reported (0: none) */
	unsigned warned_txn;   /* ... with the lock-queue warning only */
	bool timeout;          /* a lock_timeout is in effect */
	unsigned timeout_txn;  /* ... only in this transaction (SET LOCAL), or 0 */
};

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static bool is(const char *kind, const char *name)
{
	return kind && strcmp(kind, name) == 0;
}

/* Is text[t->off, t->end) one keyword token of the scanner? Scanned on
 * its own: a word's keyword kind does not depend on what surrounds it. */
static bool is_keyword(const char *text, const struct mg_token *t)
{
	/* the words statements usually start with are keywords (of every
	 * PostgreSQL version): no scanner call for them */
	static const char *const common[] = {
		"ALTER", "CREATE", "DROP", "UPDATE", "DELETE", "INSERT", "SELECT",
		"LOCK", "TRUNCATE", "COMMENT", "GRANT", "REFRESH", "REINDEX", NULL
	};
	struct mg_token *k = NULL;
	long n;
	bool ok;

	for (size_t i = 0; common[i]; i++)
		if (mg_token_is(text, t, common[i]))
			return true;
	n = mg_pg_scan(text, t->off, t->end, &k);
	ok = n == 1 && k[0].off == t->off && k[0].end == t->end &&
	     k[0].keyword_kind != 0;
	free(k);
	return ok;
}

/* The first (at most 4) tokens of st, with their keyword kinds where
 * they matter. A parsed statement's leading words come from the engine's
 * cheap lexer; the scanner's tokens are used when the engine has them
 * already (unparsed statements). Only keyword-shaped words are compared,
 * and for those both agree on the spans. Returns the count.
 * The lexer still pays although the words are read only for a finding:
 * the scanner's tokens instead (mg_lint_tokens: pg_query_scan and a
 * protobuf round trip over the whole statement) cost 58 M of 1,240 M
 * instructions of `lint --jobs 1` on the generated corpus (1,951
 * statements); scanning every first word, without is_keyword's list of
 * common words, 12 M (callgrind, 2026-11-23; same output either way). */
static size_t lead_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			  struct mg_token out[4])
{
	size_t n = 0, p;
	const struct mg_token *tok;

	if (!st->node) {
		tok = mg_lint_tokens(ctx, st, &n);
		if (n > 4)
			n = 4;
		memcpy(out, tok, n * sizeof(*out));
		return n;
	}
	p = st->stmt->off;
	while (n < 4 && mg_lint_next_token(ctx, st, p, &out[n].off, &out[n].end)) {
		p = out[n].end;
		out[n].token = 0;
		out[n].keyword_kind = n == 0 && is_keyword(mg_lint_text(ctx), &out[n]);
		n++;
	}
	return n;
}

/* The statement's leading keywords, upper-cased: "ALTER TABLE",
 * "CREATE UNIQUE INDEX", "DROP MATERIALIZED VIEW", "UPDATE". */
static void stmt_words(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		       char *buf, size_t size)
{
	static const char *const more[] = {
		"TABLE", "INDEX", "UNIQUE", "MATERIALIZED", "VIEW", "TYPE",
		"SEQUENCE", "TRIGGER", "FUNCTION", "SCHEMA", "DOMAIN", "EXTENSION",
		"OR", "REPLACE", "CONSTRAINT", "PROCEDURE", "POLICY", "RULE",
		"TEMP", "TEMPORARY", "UNLOGGED", "AGGREGATE", "FOREIGN", NULL
	};
	struct mg_token tok[4];
	size_t n = lead_tokens(ctx, st, tok), len = 0;
	const char *text = mg_lint_text(ctx);

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		bool ok = i == 0 && tok[i].keyword_kind != 0;
		for (size_t k = 0; !ok && i > 0 && more[k]; k++)
			ok = mg_token_is(text, &tok[i], more[k]);
		if (!ok)
			break;
		if (len && len + 1 < size)
			buf[len++] = ' ';
		for (size_t p = tok[i].off; p < tok[i].end && len + 1 < size; p++) {
			char c = text[p];
			buf[len++] = (c >= 'a' && c <= 'z') ? (char)(c - 32) : c;
		}
		buf[len] = '\0';
	}
	if (len == 0)
		snprintf(buf, size, "statement");
}

/* A SelectStmt (unwrapped) reads a table: FROM somewhere in it. */
static bool select_reads(const cJSON *s)
{
	if (!s)
		return false;
	if (mg_lint_len(mg_node_get(s, "fromClause")) > 0)
		return true;
	/* UNION / INTERSECT / EXCEPT: larg / rarg are unwrapped SelectStmts */
	return select_reads(mg_node_get(s, "larg")) ||
	       select_reads(mg_node_get(s, "rarg"));
}

/* The same for a {"SelectStmt": {...}} wrapper. */
static bool has_from(const cJSON *wrapped)
{
	return select_reads(mg_node_unwrap(wrapped, NULL));
}

static bool rv_new(struct mg_lint_ctx *ctx, const cJSON *rv)
{
	return rv && mg_lint_rv_is_new(ctx, rv);
}

/* DML and procedural statements: does this one do real work? *what gets a
 * short description. */
static bool dml_work(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		     const char **what)
{
	const char *k = st->kind;
	const cJSON *n = st->node;

	if (is(k, "UpdateStmt") || is(k, "DeleteStmt")) {
		*what = is(k, "UpdateStmt") ? "UPDATE" : "DELETE";
		return !rv_new(ctx, mg_node_get(n, "relation")) ||
		       mg_lint_len(mg_node_get(n, "fromClause")) > 0 ||
		       mg_lint_len(mg_node_get(n, "usingClause")) > 0;
	}
	if (is(k, "InsertStmt")) {
		*what = "INSERT ... SELECT";
		return has_from(mg_node_get(n, "selectStmt"));
	}
	if (is(k, "MergeStmt")) {
		*what = "MERGE";
		return true;
	}
	if (is(k, "CopyStmt")) {
		*what = "COPY";
		return !rv_new(ctx, mg_node_get(n, "relation")) ||
		       mg_node_get(n, "query");
	}
	if (is(k, "SelectStmt")) {
		*what = mg_node_get(n, "intoClause") ? "SELECT INTO" : "SELECT";
		return select_reads(n);
	}
	if (is(k, "CreateTableAsStmt")) {
		const char *ot = mg_node_str(n, "objtype");
		*what = ot && strcmp(ot, "OBJECT_MATVIEW") == 0
			? "CREATE MATERIALIZED VIEW" : "CREATE TABLE AS";
		return has_from(mg_node_get(n, "query")) &&
		       !mg_node_bool(mg_node_get(n, "into"), "skipData");
	}
	if (is(k, "RefreshMatViewStmt")) {
		*what = "REFRESH MATERIALIZED VIEW";
		return true;
	}
	if (is(k, "DoStmt")) {
		*what = "DO block";
		return true;
	}
	if (is(k, "CallStmt")) {
		*what = "CALL";
		return true;
	}
	return false;
}

static bool quiet_kind(const char *k)
{
	return is(k, "TransactionStmt") || is(k, "VariableSetStmt") ||
	       is(k, "VariableShowStmt") || is(k, "CommentStmt");
}

static bool same_rel(const struct mg_lock *a, const struct mg_lock *b)
{
	return strcmp(a->relation, b->relation) == 0 &&
	       strcmp(a->schema, b->schema) == 0;
}

/* SET [LOCAL] lock_timeout / RESET: track whether one is in effect. */
static void on_set(const struct mg_lint_stmt *st, struct state *s)
{
	const char *name = mg_node_str(st->node, "name");
	const char *kind = mg_node_str(st->node, "kind");
	bool on = false;

	if (!name || strcmp(name, "lock_timeout") != 0 || !kind)
		return;
	if (strcmp(kind, "VAR_SET_VALUE") == 0) {
		const cJSON *c = mg_node_unwrap(mg_lint_at(mg_node_get(st->node, "args"), 0),
						NULL);
		const char *sv = mg_node_str(mg_node_get(c, "sval"), "sval");
		const cJSON *iv = mg_node_get(c, "ival");
		if (sv)
			on = strcmp(sv, "0") != 0 && sv[0] != '\0';
		else if (iv)
			on = mg_node_int(iv, "ival", 0) != 0;
	}
	s->timeout = on;
	s->timeout_txn = on && mg_node_bool(st->node, "is_local") ? st->txn : 0;
}

static bool timeout_on(const struct mg_lint_stmt *st, const struct state *s)
{
	return s->timeout && (s->timeout_txn == 0 || s->timeout_txn == st->txn);
}

/* Does the held lock still matter? Not when the statement that took it
 * dropped that very relation (and nothing of that name was created
 * since). */
/* The relation st creates (CREATE TABLE [AS], CREATE MATERIALIZED VIEW,
 * CREATE VIEW), as a RangeVar, or NULL. */
static const cJSON *created_rel(const struct mg_lint_stmt *st)
{
	if (is(st->kind, "CreateStmt"))
		return mg_node_get(st->node, "relation");
	if (is(st->kind, "CreateTableAsStmt"))
		return mg_node_get(mg_node_get(st->node, "into"), "rel");
	if (is(st->kind, "ViewStmt"))
		return mg_node_get(st->node, "view");
	return NULL;
}

static bool lock_matters(struct mg_lint_ctx *ctx, const struct mg_txn_lock *h,
			 const struct mg_lint_stmt *st)
{
	const struct mg_lint_stmt *by = mg_lint_stmt_at(ctx, h->stmt_index);
	const char *rt;

	if (h->lock.mode != MG_LOCK_ACCESS_EXCLUSIVE || h->lock.origin == MG_ORIGIN_NEW)
		return false;
	if (!by || !is(by->kind, "DropStmt"))
		return true;
	rt = mg_node_str(by->node, "removeType");
	if (rt && strcmp(rt, "OBJECT_INDEX") == 0)
		return true; /* the lock is on the index's table, which stays */
	const struct mg_cat_table *t =
		mg_lint_table_named(ctx, h->lock.schema, h->lock.relation);
	if (t && mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return true; /* created again: a swap */
	const cJSON *rv = created_rel(st);
	const char *sch = mg_node_str(rv, "schemaname");
	const char *rel = mg_node_str(rv, "relname");
	return rel && strcmp(rel, h->lock.relation) == 0 &&
	       strcmp(sch ? sch : "public", h->lock.schema) == 0;
}

/* "\"users\"", or "the table of index \"x\"" when the engine could only
 * name the index of a DROP INDEX. */
static void rel_desc(struct mg_lint_ctx *ctx, const struct mg_txn_lock *h,
		     char *buf, size_t size)
{
	const struct mg_lint_stmt *by = mg_lint_stmt_at(ctx, h->stmt_index);
	const char *rt = by && is(by->kind, "DropStmt")
		? mg_node_str(by->node, "removeType") : NULL;

	if (rt && strcmp(rt, "OBJECT_INDEX") == 0 &&
	    !mg_lint_table_named(ctx, h->lock.schema, h->lock.relation))
		snprintf(buf, size, "the table of index \"%s\"", h->lock.relation);
	else
		snprintf(buf, size, "\"%s\"", h->lock.relation);
}

static const char *article(enum mg_lock_mode m)
{
	const char *n = mg_lock_mode_name(m);
	return n[0] == 'A' || n[0] == 'E' ? "an" : "a";
}

/* What real work st does, written into detail ("" if none). *queue is set
 * when the only work is waiting for a lock on another table. */
static void work_of(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		    const struct state *s, char *detail, size_t size, bool *queue)
{
	const struct mg_txn_lock *held;
	size_t nheld = mg_lint_txn_locks(ctx, &held);
	const char *what = NULL;
	struct mg_lock locks[16];
	size_t n;
	char words[64];

	detail[0] = '\0';
	if (st->node && dml_work(ctx, st, &what)) {
		snprintf(detail, size, "this %s", what);
		return;
	}
	if (what)
		return; /* cheap DML */
	n = mg_lint_stmt_locks(ctx, st, locks, sizeof locks / sizeof locks[0]);
	for (size_t i = 0; i < n; i++) {
		const struct mg_lock *l = &locks[i];
		if (l->origin == MG_ORIGIN_NEW)
			continue;
		if (l->rewrite || l->scan) {
			/* the words need the scanner: only for a finding */
			stmt_words(ctx, st, words, sizeof words);
			snprintf(detail, size, "this %s, which %s \"%s\",", words,
				 l->rewrite ? "rewrites" : "scans", l->relation);
			return;
		}
	}
	if (timeout_on(st, s))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct mg_lock *l = &locks[i];
		bool have = false;
		if (l->origin == MG_ORIGIN_NEW || l->mode < MG_LOCK_SHARE)
			continue;
		for (size_t k = 0; k < nheld; k++)
			if (same_rel(&held[k].lock, l) && held[k].lock.mode >= l->mode)
				have = true;
		if (have)
			continue;
		const char *rt = is(st->kind, "DropStmt")
			? mg_node_str(st->node, "removeType") : NULL;
		bool index = rt && strcmp(rt, "OBJECT_INDEX") == 0 &&
			     !mg_lint_table_named(ctx, l->schema, l->relation);
		stmt_words(ctx, st, words, sizeof words);
		snprintf(detail, size,
			 "this %s, which must first get %s %s lock on %s\"%s\" "
			 "(and may queue behind a long query there),",
			 words, article(l->mode), mg_lock_mode_name(l->mode),
			 index ? "the table of index " : "", l->relation);
		*queue = true;
		return;
	}
}

/* The statement takes ACCESS EXCLUSIVE on the held relation itself: the
 * table is blocked while it runs whatever came before (SET NOT NULL or a
 * rewriting type change after an ADD COLUMN), and the rule that reports
 * that statement already says so. */
static bool self_locked(const struct mg_lock *own, size_t nown,
			const struct mg_lock *held)
{
	for (size_t i = 0; i < nown; i++)
		if (own[i].mode == MG_LOCK_ACCESS_EXCLUSIVE && same_rel(&own[i], held))
			return true;
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;
	const struct mg_txn_lock *held, *ax = NULL;
	size_t nheld, nown;
	struct mg_lock own[16];
	bool queue = false;
	char detail[300], rel[160], bywords[64] = "statement";

	s = mg_lint_state(ctx, sizeof *s);
	if (is(st->kind, "VariableSetStmt"))
		on_set(st, s);
	if (!st->in_txn || st->txn == 0 || quiet_kind(st->kind))
		return;
	if (s->reported_txn == st->txn)
		return;
	nheld = mg_lint_txn_locks(ctx, &held);
	nown = mg_lint_stmt_locks(ctx, st, own, sizeof own / sizeof own[0]);
	for (size_t i = 0; i < nheld; i++)
		if (lock_matters(ctx, &held[i], st) &&
		    !self_locked(own, nown, &held[i].lock) &&
		    (!ax || held[i].stmt_index < ax->stmt_index))
			ax = &held[i];
	if (!ax)
		return;

	work_of(ctx, st, s, detail, sizeof detail, &queue);
	if (!detail[0] || (queue && s->warned_txn == st->txn))
		return;

	if (queue)
		s->warned_txn = st->txn; /* real work later still gets its error */
	else
		s->reported_txn = st->txn;
	const struct mg_lint_stmt *by = mg_lint_stmt_at(ctx, ax->stmt_index);
	if (by)
		stmt_words(ctx, by, bywords, sizeof bywords);
	rel_desc(ctx, ax, rel, sizeof rel);
	/* Waiting in the lock queue of another table hurts only when a long
	 * query runs there at that moment: a matter of traffic, so a warning.
	 * Real work under the lock blocks the table however quiet it is. */
	mg_lint_report_opt(ctx, &(struct mg_report_opt){
				   .lock = &ax->lock,
				   .severity = queue ? MG_SEV_WARNING : 0 },
			   st->stmt->off, 0,
			   "%s runs while the transaction holds an ACCESS "
			   "EXCLUSIVE lock on %s (taken by %s at line %u): every "
			   "query on it waits until COMMIT, for as long as this "
			   "takes",
			   detail, rel, bywords, line_of(ctx, ax->off));
}

/* Unparsed statements (newer syntax): DML keywords only. */
static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;
	const struct mg_txn_lock *held, *ax = NULL;
	size_t nheld;
	char words[64], rel[160], bywords[64] = "statement";
	static const char *const dml[] = { "UPDATE", "DELETE", "MERGE", "COPY",
					   "DO", "CALL", NULL };
	bool work = false;

	if (!st->in_txn || st->txn == 0)
		return;
	s = mg_lint_state(ctx, sizeof *s);
	if (s->reported_txn == st->txn)
		return;
	for (size_t i = 0; dml[i] && !work; i++)
		work = mg_lint_tok_match(ctx, st, 0, dml[i], NULL);
	if (!work)
		return;
	nheld = mg_lint_txn_locks(ctx, &held);
	for (size_t i = 0; i < nheld; i++)
		if (lock_matters(ctx, &held[i], st) &&
		    (!ax || held[i].stmt_index < ax->stmt_index))
			ax = &held[i];
	if (!ax)
		return;
	s->reported_txn = st->txn;
	stmt_words(ctx, st, words, sizeof words);
	const struct mg_lint_stmt *by = mg_lint_stmt_at(ctx, ax->stmt_index);
	if (by)
		stmt_words(ctx, by, bywords, sizeof bywords);
	rel_desc(ctx, ax, rel, sizeof rel);
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .lock = &ax->lock },
			   st->stmt->off, 0,
			   "this %s runs while the transaction holds an ACCESS "
			   "EXCLUSIVE lock on %s (taken by %s at line %u): every "
			   "query on it waits until COMMIT, for as long as this "
			   "takes",
			   words, rel, bywords, line_of(ctx, ax->off));
}

const struct mg_rule mg_rule_dml_after_exclusive_lock = {
	.id = "dml-after-exclusive-lock",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = NULL,
	.check = check,
	.check_tokens = check_tokens,
};
