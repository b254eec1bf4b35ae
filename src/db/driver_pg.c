/*
 * driver_pg: the PostgreSQL driver over libpq (see driver.h).
 *
 * libpq is not linked: pg_open loads it (pqload.h) and every call goes
 * through that table, p->pq. Connects with PQconnectdbParams
 * (expand_dbname) so URLs and conninfo strings go to libpq untouched (PG*
 * variables, .pgpass, sslmode, service files all work) and sets
 * fallback_application_name "migrate". The runner lock is a session
 * advisory lock keyed by the first 8 bytes of SHA-256(key), polled with
 * pg_try_advisory_lock so the waiting runner can say who holds it
 * (pg_locks joined with pg_stat_activity).
 */
#include "driver.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/sha256.h"
#include "../core/xalloc.h"
#include "pqload.h"

#define NCACHE 32

struct cached {
	char *sql;
	char name[16]; /* "" until the second use prepares it */
};

struct pg {
	struct mg_db base;      /* first */
	const struct mg_pq *pq; /* libpq, loaded by pg_open */
	PGconn *conn;
	PGcancel *cancel;       /* for mg_db_ops.cancel (signal-safe PQcancel) */
	struct mg_db_opts opts;
	char lock_key[24];      /* decimal bigint of the held advisory lock */
	bool locked;
	struct cached cache[NCACHE];
	size_t ncache;
	unsigned seq;
	bool begin_pending;     /* begin() called, BEGIN not sent yet: it goes
				   out with the next query in one round trip */
	bool broken;            /* a pipeline was left unfinished (see
				   set_broken): every later call fails at once */
	char *broken_why;       /* libpq's message when it broke */
};

static struct pg *PG(struct mg_db *db)
{
	return (struct pg *)db;
}

static void notice(void *arg, const char *msg)
{
	struct pg *p = arg;
	char *s;
	size_t n;

	if (!p->opts.notice)
		return;
	s = mg_dburl_scrub(p->base.url, msg);
	n = strlen(s);
	while (n && s[n - 1] == '\n')
		s[--n] = '\0';
	fprintf(p->opts.notice, "migrate: server %s\n", s);
	free(s);
}

/* Copy libpq's connection-level error into err (scrubbed). */
static int conn_fail(struct pg *p, const char *id, const char *what,
		     struct mg_err *err)
{
	char *m = mg_xstrdup(p->conn ? p->pq->PQerrorMessage(p->conn) : "out of memory");
	size_t n = strlen(m);

	char *nl;

	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		m[--n] = '\0';
	/* libpq's second line ("\tIs the server running ...?") is detail */
	if ((nl = strchr(m, '\n'))) {
		char *rest = nl + 1;
		char *o;
		*nl = '\0';
		while (*rest == '\t' || *rest == ' ')
			rest++;
		/* one line: runs of newlines, tabs, blanks -> one blank */
		o = rest;
		for (char *c = rest; *c; c++) {
			if (*c != '\n' && *c != '\t' && *c != ' ')
				*o++ = *c;
			else if (o > rest && o[-1] != ' ')
				*o++ = ' ';
		}
		*o = '\0';
		mg_err_set(err, MG_EDB, id, "%s: %s", what, m);
		if (*rest)
			mg_err_detail(err, "%s", rest);
	} else {
		mg_err_set(err, MG_EDB, id, "%s: %s", what, m);
	}
	free(m);
	mg_dburl_scrub_err(p->base.url, err);
	return MG_EDB;
}

/* Fill last and err from a failed result (res may be NULL). */
static int res_fail(struct pg *p, PGresult *res, struct mg_err *err)
{
	struct mg_db_last *l = &p->base.last;
	const char *state, *pos, *prim, *det, *hint;

	memset(l, 0, sizeof(*l));
	l->conn_lost = p->broken;
	if (!res || p->pq->PQstatus(p->conn) == CONNECTION_BAD) {
		if (p->pq->PQstatus(p->conn) == CONNECTION_BAD)
			l->conn_lost = true;
		if (!res)
			return conn_fail(p, "connection-lost", "database connection failed", err);
	}
	state = p->pq->PQresultErrorField(res, PG_DIAG_SQLSTATE);
	pos = p->pq->PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	prim = p->pq->PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	det = p->pq->PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	hint = p->pq->PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	if (state)
		snprintf(l->sqlstate, sizeof(l->sqlstate), "%s", state);
	if (pos)
		l->position = strtol(pos, NULL, 10);
	l->lock_timeout = state && !strcmp(state, "55P03");
	l->canceled = state && !strcmp(state, "57014");
	/* the server ends the session after these (pg_terminate_backend,
	 * shutdown, crash of another backend) even if libpq has not seen
	 * the socket close yet */
	if (state && (!strncmp(state, "57P0", 4) || !strncmp(state, "08", 2)))
		l->conn_lost = true;
	if (!prim) {
		/* libpq's own message: "server closed the connection
		 * unexpectedly\n\tThis probably means ...": first line is the
		 * message, the rest detail */
		/* When the session ended, the connection's message can hold
		 * what the server said first ("FATAL:  terminating connection
		 * due to administrator command") that the result lost. */
		char *m = mg_xstrdup(l->conn_lost && *p->pq->PQerrorMessage(p->conn)
				     ? p->pq->PQerrorMessage(p->conn)
				     : p->pq->PQresultErrorMessage(res));
		char *nl, *rest = NULL;
		size_t n;
		static const char *const sev[] = { "FATAL:", "PANIC:", "ERROR:" };
		for (size_t k = 0; k < sizeof(sev) / sizeof(sev[0]); k++) {
			size_t sl = strlen(sev[k]);
			if (!strncmp(m, sev[k], sl)) {
				size_t skip = sl;
				while (m[skip] == ' ')
					skip++;
				memmove(m, m + skip, strlen(m + skip) + 1);
				break;
			}
		}
		n = strlen(m);
		while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		if ((nl = strchr(m, '\n'))) {
			*nl = '\0';
			rest = nl + 1;
			while (*rest == '\t' || *rest == ' ')
				rest++;
			/* one line: runs of newlines, tabs, blanks -> one blank */
			char *o = rest;
			for (char *c = rest; *c; c++) {
				bool ws = *c == '\n' || *c == '\t' || *c == ' ';
				if (!ws) {
					*o++ = *c;
				} else if (o > rest && o[-1] != ' ') {
					/* a new message (not a continuation
					 * line): "; " (o < c: room for it) */
					if (*c == '\n' && c[1] && c[1] != '\t' &&
					    c[1] != ' ' && o < c)
						*o++ = ';';
					*o++ = ' ';
				}
			}
			*o = '\0';
		}
		mg_err_set(err, MG_EDB, l->conn_lost ? "connection-lost" : "sql-error",
			   "%s", n ? m : "unknown database error");
		if (rest && *rest && !state)
			mg_err_detail(err, "%s", rest);
		free(m);
	} else {
		mg_err_set(err, MG_EDB, l->lock_timeout ? "lock-timeout" :
			   l->conn_lost ? "connection-lost" : "sql-error", "%s", prim);
	}
	if (state && det)
		mg_err_detail(err, "SQLSTATE %s: %s", state, det);
	else if (state)
		mg_err_detail(err, "SQLSTATE %s", state);
	if (hint)
		mg_err_hint(err, "%s", hint);
	mg_dburl_scrub_err(p->base.url, err);
	return MG_EDB;
}

static bool res_ok(const struct pg *p, PGresult *res)
{
	ExecStatusType s = res ? p->pq->PQresultStatus(res) : PGRES_FATAL_ERROR;
	return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ||
	       s == PGRES_EMPTY_QUERY;
}

/* Give the connection up: a pipeline was left unfinished (queries queued
 * with no sync behind them, or results never read because the server
 * went), so libpq stays in pipeline mode and whatever it would send next
 * could not be told apart from what is still pending. Nothing more is
 * sent on it: every later call fails at once with connection-lost, naming
 * this first failure (the caller that saw it reports it itself). Closing
 * still works; the server ends the session and rolls back what it had. */
static void set_broken(struct pg *p)
{
	const char *m = p->pq->PQerrorMessage(p->conn);
	size_t n = strcspn(m, "\n");

	p->broken = true;
	p->base.last.conn_lost = true;
	free(p->broken_why);
	p->broken_why = n ? mg_xstrndup(m, n) : mg_xstrdup("a pipeline was left unfinished");
}

/* A call on a connection set_broken gave up. */
static int broken_fail(struct pg *p, struct mg_err *err)
{
	memset(&p->base.last, 0, sizeof(p->base.last));
	p->base.last.conn_lost = true;
	mg_err_set(err, MG_EDB, "connection-lost", "the database connection was "
		   "given up after an earlier error: %s", p->broken_why);
	mg_dburl_scrub_err(p->base.url, err);
	return MG_EDB;
}

static void pg_close(struct mg_db *db)
{
	struct pg *p = PG(db);

	for (size_t i = 0; i < p->ncache; i++)
		free(p->cache[i].sql);
	free(p->broken_why);
	if (p->cancel)
		p->pq->PQfreeCancel(p->cancel);
	if (p->conn)
		p->pq->PQfinish(p->conn);
	free(p);
}

static int pg_open(struct mg_db **out, const struct mg_dburl *url,
		   const struct mg_db_opts *opts, struct mg_err *err)
{
	const struct mg_pq *pq = mg_pq_load(err);
	struct pg *p;
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { url->conninfo, "migrate", NULL };

	if (!pq)
		return MG_EDB;
	p = mg_xcalloc(1, sizeof(*p));
	p->pq = pq;
	p->base.ops = &mg_driver_pg;
	p->base.url = url;
	if (opts)
		p->opts = *opts;
	p->conn = p->pq->PQconnectdbParams(keys, vals, 1);
	if (!p->conn || p->pq->PQstatus(p->conn) != CONNECTION_OK) {
		conn_fail(p, "cannot-connect", "cannot connect to PostgreSQL", err);
		mg_err_hint(err, "check the database URL (%s), that the server is "
				 "running and that PG* variables and ~/.pgpass are right",
			    url->redacted);
		pg_close(&p->base);
		return MG_EDB;
	}
	p->pq->PQsetNoticeProcessor(p->conn, notice, p);
	p->cancel = p->pq->PQgetCancel(p->conn);
	*out = &p->base;
	/* PostgreSQL 14+: notice a vanished client (kill -9) within a second
	 * even while a long statement runs, so its transaction is rolled back
	 * and the runner lock freed promptly. Best effort. */
	if (p->pq->PQserverVersion(p->conn) >= 140000) {
		const char *params[1] = { "1000" };
		PGresult *res = p->pq->PQexecParams(p->conn,
			"SELECT pg_catalog.set_config('client_connection_check_interval', $1, false)",
			1, NULL, params, NULL, NULL, 0);
		p->pq->PQclear(res);
	}
	return 0;
}

/* Drain a COPY started by a migration statement: migrate sends no data. */
static PGresult *end_copy(struct pg *p, PGresult *res)
{
	ExecStatusType s = p->pq->PQresultStatus(res);
	PGresult *r, *last = NULL;

	if (s == PGRES_COPY_IN)
		p->pq->PQputCopyEnd(p->conn, "migrate cannot feed COPY FROM STDIN: use "
			     "INSERT, or COPY FROM a server-side file");
	else if (s == PGRES_COPY_OUT) {
		char *buf;
		while (p->pq->PQgetCopyData(p->conn, &buf, 0) > 0)
			p->pq->PQfreemem(buf);
	}
	p->pq->PQclear(res);
	while ((r = p->pq->PQgetResult(p->conn))) {
		p->pq->PQclear(last);
		last = r;
	}
	return last;
}

static int send_begin(struct pg *p, struct mg_err *err);

static int pg_exec(struct mg_db *db, const char *sql, struct mg_err *err)
{
	struct pg *p = PG(db);
	PGresult *res;
	int rc = 0;

	if (p->broken)
		return broken_fail(p, err);
	if (p->begin_pending && (rc = send_begin(p, err)))
		return rc;
	res = p->pq->PQexec(p->conn, sql);
	memset(&db->last, 0, sizeof(db->last));
	if (res && (p->pq->PQresultStatus(res) == PGRES_COPY_IN ||
		    p->pq->PQresultStatus(res) == PGRES_COPY_OUT))
		res = end_copy(p, res);
	if (!res_ok(p, res))
		rc = res_fail(p, res, err);
	p->pq->PQclear(res);
	return rc;
}

/* The name of the prepared statement for sql, preparing it on its second
 * use; NULL: run it unprepared (its first use: one round trip, where
 * prepare + execute take two, and most queries run once per process:
 * status's three, up's lock and ledger checks); "" when preparing failed
 * (err filled). */
static const char *prepared(struct pg *p, const char *sql, int nparams,
			    struct mg_err *err)
{
	struct cached *c = NULL;
	PGresult *res;

	for (size_t i = 0; i < p->ncache && !c; i++)
		if (!strcmp(p->cache[i].sql, sql))
			c = &p->cache[i];
	if (!c) {
		if (p->ncache < NCACHE)
			p->cache[p->ncache++].sql = mg_xstrdup(sql);
		return NULL; /* first use, or the cache is full */
	}
	if (*c->name)
		return c->name;
	snprintf(c->name, sizeof(c->name), "mg_%u", ++p->seq);
	res = p->pq->PQprepare(p->conn, c->name, sql, nparams, NULL);
	if (!res_ok(p, res)) {
		*c->name = '\0';
		res_fail(p, res, err);
		p->pq->PQclear(res);
		return "";
	}
	p->pq->PQclear(res);
	return c->name;
}

/* Send the deferred BEGIN alone (before a simple-protocol statement). */
static int send_begin(struct pg *p, struct mg_err *err)
{
	PGresult *res;
	int rc = 0;

	p->begin_pending = false;
	res = p->pq->PQexec(p->conn, "BEGIN");
	memset(&p->base.last, 0, sizeof(p->base.last));
	if (!res_ok(p, res)) {
		rc = res_fail(p, res, err);
		p->base.in_tx = false;
	}
	p->pq->PQclear(res);
	return rc;
}

/* One query of a pipeline: prepared statement name, or sql when name is
 * NULL (run unprepared). */
struct pq_query {
	const char *name, *sql;
	int nparams;
	const char *const *params;
};

/* What pipeline() came to. */
struct pipeline {
	int queued;       /* how many of the two queries libpq took */
	bool sent;        /* both and the sync: the results were read */
	PGresult *res[2]; /* their results (owned, NULL when missing) */
};

static bool send_query(struct pg *p, const struct pq_query *q)
{
	if (q->name)
		return p->pq->PQsendQueryPrepared(p->conn, q->name, q->nparams,
						  q->params, NULL, NULL, 0) == 1;
	return p->pq->PQsendQueryParams(p->conn, q->sql, q->nparams, NULL,
					q->params, NULL, NULL, 0) == 1;
}

/* Read the results of a two-query pipeline up to its sync into res[0]
 * and res[1]. After an error the rest is PGRES_PIPELINE_ABORTED up to the
 * sync; each query's results end with a NULL. Stops early when the
 * connection is lost. */
static void pipeline_results(struct pg *p, PGresult **res)
{
	PGresult *r;
	int stage = 0, nulls = 0;

	for (;;) {
		r = p->pq->PQgetResult(p->conn);
		if (!r) {
			if (p->pq->PQstatus(p->conn) == CONNECTION_BAD || ++nulls > 3)
				break;
			stage++;
			continue;
		}
		nulls = 0;
		if (p->pq->PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
			p->pq->PQclear(r);
			break;
		}
		if (stage < 2 && !res[stage])
			res[stage] = r;
		else
			p->pq->PQclear(r);
	}
}

/*
 * Two queries and a sync in one pipeline (the caller entered pipeline
 * mode): one round trip. Every way out leaves the connection defined:
 *  - all sent: the results read up to the sync, out of pipeline mode;
 *    0. When the connection was lost on the way (results missing, a
 *    query's result an error) or pipeline mode cannot be left, the
 *    connection is given up (set_broken);
 *  - a send or the sync refused (libpq: no connection, out of memory, or
 *    a flush that found the server gone): MG_EDB with libpq's reason in
 *    err, taken before anything else is appended to it. Nothing queued:
 *    out of pipeline mode again, nothing ran. Something queued: with no
 *    sync behind it, libpq will neither finish nor drop it (its flushes
 *    may already have sent part of it), so the connection is given up.
 * pl->queued says how far it got.
 */
static int pipeline(struct pg *p, const struct pq_query q[2],
		    struct pipeline *pl, struct mg_err *err)
{
	int rc;

	memset(pl, 0, sizeof(*pl));
	memset(&p->base.last, 0, sizeof(p->base.last));
	while (pl->queued < 2 && send_query(p, &q[pl->queued]))
		pl->queued++;
	pl->sent = pl->queued == 2 && p->pq->PQpipelineSync(p->conn) == 1;
	if (!pl->sent) {
		if (pl->queued)
			set_broken(p);
		rc = res_fail(p, NULL, err);
		if (!pl->queued && p->pq->PQexitPipelineMode(p->conn) != 1)
			set_broken(p);
		return rc;
	}
	pipeline_results(p, pl->res);
	/* a lost connection leaves libpq in pipeline mode with the rest of
	 * the queue unread: PQexitPipelineMode would only add its complaint
	 * to the message the caller is about to report */
	if (p->pq->PQstatus(p->conn) == CONNECTION_BAD ||
	    p->pq->PQexitPipelineMode(p->conn) != 1)
		set_broken(p);
	return 0;
}

/* The deferred BEGIN and one extended-protocol query in one pipeline: one
 * round trip where there were two. Returns the query's result (owned), or
 * NULL with err filled when BEGIN failed or the pipeline broke (then
 * nothing of the query ran: an aborted pipeline skips it; or the
 * connection is given up and its session, transaction and all, ends). */
static PGresult *begin_and_query(struct pg *p, const char *name, const char *sql,
				 int nparams, const char *const *params,
				 struct mg_err *err)
{
	const struct pq_query q[2] = {
		{ NULL, "BEGIN", 0, NULL },
		{ name, sql, nparams, params },
	};
	struct pipeline pl;

	p->begin_pending = false;
	if (p->pq->PQenterPipelineMode(p->conn) != 1) {
		/* not possible here (libpq < 14, or a busy connection):
		 * two round trips as before */
		if (send_begin(p, err))
			return NULL;
		return name ? p->pq->PQexecPrepared(p->conn, name, nparams, params, NULL, NULL, 0)
			    : p->pq->PQexecParams(p->conn, sql, nparams, NULL, params, NULL,
					   NULL, 0);
	}
	if (pipeline(p, q, &pl, err)) {
		p->base.in_tx = false;
		return NULL;
	}
	if (!res_ok(p, pl.res[0])) {
		/* BEGIN failed: report it as begin() would */
		res_fail(p, pl.res[0], err);
		p->base.in_tx = false;
		p->pq->PQclear(pl.res[0]);
		p->pq->PQclear(pl.res[1]);
		return NULL;
	}
	p->pq->PQclear(pl.res[0]);
	if (!pl.res[1]) {
		res_fail(p, NULL, err);
		return NULL;
	}
	return pl.res[1];
}

static int pg_query(struct mg_db *db, const char *sql, int nparams,
		    const char *const *params, struct mg_rows *out,
		    struct mg_err *err)
{
	struct pg *p = PG(db);
	const char *name;
	PGresult *res;
	int rc = 0;

	memset(&db->last, 0, sizeof(db->last));
	if (out)
		memset(out, 0, sizeof(*out));
	if (p->broken)
		return broken_fail(p, err);
	name = prepared(p, sql, nparams, err);
	if (name && !*name)
		return err ? err->code : MG_EDB;
	if (p->begin_pending) {
		res = begin_and_query(p, name, sql, nparams, params, err);
		if (!res)
			return err ? err->code : MG_EDB;
	} else if (name)
		res = p->pq->PQexecPrepared(p->conn, name, nparams, params, NULL, NULL, 0);
	else
		res = p->pq->PQexecParams(p->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	if (!res_ok(p, res)) {
		rc = res_fail(p, res, err);
	} else if (out && p->pq->PQresultStatus(res) == PGRES_TUPLES_OK) {
		out->nrows = (size_t)p->pq->PQntuples(res);
		out->ncols = (size_t)p->pq->PQnfields(res);
		struct mg_rows_builder b = { 0 };
		/* room for the text at once, without a pass to measure it: the
		 * result holds every value with its NUL, so its size bounds
		 * them (the room left over is never touched) */
		mg_rows_builder_reserve(&b, out->nrows * out->ncols,
					p->pq->PQresultMemorySize(res));
		for (size_t r = 0; r < out->nrows; r++)
			for (size_t c = 0; c < out->ncols; c++) {
				/* a NULL has length 0: only an empty value
				 * needs asking which it is */
				int n = p->pq->PQgetlength(res, (int)r, (int)c);
				mg_rows_builder_add(&b,
					!n && p->pq->PQgetisnull(res, (int)r, (int)c) ? NULL :
					p->pq->PQgetvalue(res, (int)r, (int)c), (size_t)n);
			}
		mg_rows_builder_finish(&b, out);
	}
	p->pq->PQclear(res);
	return rc;
}

static int pg_begin(struct mg_db *db, struct mg_err *err)
{
	struct pg *p = PG(db);

	if (p->broken)
		return broken_fail(p, err);
	/* BEGIN goes out with the next statement (see begin_and_query): a
	 * connection already lost shows there, before anything ran */
	if (p->pq->PQstatus(p->conn) == CONNECTION_BAD)
		return send_begin(p, err);
	memset(&db->last, 0, sizeof(db->last));
	p->begin_pending = true;
	db->in_tx = true;
	return 0;
}

static int pg_commit(struct mg_db *db, struct mg_err *err)
{
	struct pg *p = PG(db);
	int rc = 0;

	if (p->begin_pending)
		p->begin_pending = false; /* nothing was sent: nothing to commit */
	else
		rc = pg_exec(db, "COMMIT", err);
	db->in_tx = false;
	return rc;
}

/* query_commit one after the other: two round trips. */
static int query_then_commit(struct mg_db *db, const char *sql, int nparams,
			     const char *const *params, int *stage,
			     struct mg_err *err)
{
	int rc = pg_query(db, sql, nparams, params, NULL, err);

	if (rc)
		return rc;
	*stage = 1;
	return pg_commit(db, err);
}

/* The ledger row and COMMIT in one pipeline: one round trip where there
 * were two (per migration). An error in the statement aborts the pipeline,
 * so COMMIT is skipped and the transaction stays open (aborted) for the
 * caller's rollback, exactly as if they had been sent one by one. Once
 * libpq has taken COMMIT, a failure that loses the connection (or gives
 * it up) leaves the outcome unknown: stage 1, never "not committed". */
static int pg_query_commit(struct mg_db *db, const char *sql, int nparams,
			   const char *const *params, int *stage,
			   struct mg_err *err)
{
	struct pg *p = PG(db);
	struct pipeline pl;
	const char *name;
	int rc;

	*stage = 0;
	if (p->broken)
		return broken_fail(p, err);
	/* BEGIN not sent yet: begin_and_query sends it with the row */
	if (p->begin_pending)
		return query_then_commit(db, sql, nparams, params, stage, err);
	name = prepared(p, sql, nparams, err);
	if (name && !*name)
		return err ? err->code : MG_EDB;
	if (p->pq->PQenterPipelineMode(p->conn) != 1) /* libpq < 14 */
		return query_then_commit(db, sql, nparams, params, stage, err);
	{
		const struct pq_query q[2] = {
			{ name, sql, nparams, params },
			{ NULL, "COMMIT", 0, NULL },
		};
		rc = pipeline(p, q, &pl, err);
	}
	if (rc) {
		/* not all of it went out. COMMIT taken by libpq and the sync
		 * refused: a flush may have sent COMMIT before the failure,
		 * so whether the server committed is unknown. COMMIT refused:
		 * it never left, nothing is committed (a row libpq took has
		 * nothing after it): stage 0, the transaction ends with the
		 * caller's rollback, or with the session of a connection
		 * given up */
		if (pl.queued == 2) {
			*stage = 1;
			db->in_tx = false;
		}
	} else if (!res_ok(p, pl.res[0]) && p->broken) {
		/* the connection went with COMMIT already sent: whether the
		 * server committed is unknown, which is a commit failure
		 * (the caller says "may or may not have committed") */
		rc = res_fail(p, pl.res[0], err);
		*stage = 1;
		db->in_tx = false;
	} else if (!res_ok(p, pl.res[0])) {
		rc = res_fail(p, pl.res[0], err);
	} else {
		*stage = 1;
		db->in_tx = false;
		if (!res_ok(p, pl.res[1]))
			rc = res_fail(p, pl.res[1], err);
	}
	p->pq->PQclear(pl.res[0]);
	p->pq->PQclear(pl.res[1]);
	return rc;
}

static int pg_rollback(struct mg_db *db, struct mg_err *err)
{
	struct pg *p = PG(db);
	int rc = 0;

	p->begin_pending = false;
	db->in_tx = false;
	/* a connection given up: no ROLLBACK goes out (nothing can), the
	 * server rolls back as the session ends */
	if (p->broken)
		return broken_fail(p, err);
	if (p->pq->PQtransactionStatus(p->conn) != PQTRANS_IDLE)
		rc = pg_exec(db, "ROLLBACK", err);
	return rc;
}

/* The advisory lock key for key: SHA-256's first 8 bytes as a bigint. */
static int64_t lock_key(const char *key)
{
	struct mg_sha256 s;
	uint8_t h[32];
	uint64_t v = 0;

	mg_sha256_init(&s);
	mg_sha256_update(&s, key, strlen(key));
	mg_sha256_final(&s, h);
	for (int i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	return (int64_t)v;
}

/* Describe who holds advisory lock k into b ("" when unknown). */
static void lock_holder(struct pg *p, int64_t k, struct mg_buf *b)
{
	char cls[24], obj[24];
	const char *params[2] = { cls, obj };
	struct mg_rows r;
	struct mg_err e = MG_ERR_INIT;
	uint64_t u = (uint64_t)k;

	snprintf(cls, sizeof(cls), "%u", (unsigned)(u >> 32));
	snprintf(obj, sizeof(obj), "%u", (unsigned)(u & 0xffffffffu));
	if (pg_query(&p->base,
		     "SELECT a.pid, coalesce(a.application_name, ''), "
		     "coalesce(a.usename::text, ''), "
		     "coalesce(host(a.client_addr), 'local socket'), "
		     "to_char(a.backend_start AT TIME ZONE 'UTC', "
		     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), coalesce(a.state, ''), "
		     "to_char(a.state_change AT TIME ZONE 'UTC', "
		     "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
		     "FROM pg_catalog.pg_locks l "
		     "JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
		     "WHERE l.locktype = 'advisory' AND l.granted "
		     "AND l.database = (SELECT oid FROM pg_catalog.pg_database "
		     "WHERE datname = current_database()) "
		     "AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1",
		     2, params, &r, &e) == 0 && r.nrows) {
		mg_buf_addf(b, "pid %s", mg_rows_get(&r, 0, 0));
		if (*mg_rows_get(&r, 0, 1))
			mg_buf_addf(b, ", application_name '%s'", mg_rows_get(&r, 0, 1));
		mg_buf_addf(b, ", user %s from %s, connected since %s",
			    mg_rows_get(&r, 0, 2), mg_rows_get(&r, 0, 3),
			    mg_rows_get(&r, 0, 4) ? mg_rows_get(&r, 0, 4) : "?");
		if (*mg_rows_get(&r, 0, 5))
			mg_buf_addf(b, ", %s since %s", mg_rows_get(&r, 0, 5),
				    mg_rows_get(&r, 0, 6) ? mg_rows_get(&r, 0, 6) : "?");
	}
	mg_rows_release(&r);
	mg_err_release(&e);
}

static int pg_lock(struct mg_db *db, const char *key, struct mg_err *err)
{
	struct pg *p = PG(db);
	int64_t k = lock_key(key);
	const char *params[1] = { p->lock_key };
	long long start = mg_db_clock_us();
	long sleep_ms = 50;
	bool told = false;
	struct mg_buf who = MG_BUF_INIT;

	snprintf(p->lock_key, sizeof(p->lock_key), "%lld", (long long)k);
	for (;;) {
		struct mg_rows r;
		int rc = pg_query(db, "SELECT pg_catalog.pg_try_advisory_lock($1::bigint)",
				  1, params, &r, err);
		const char *v;
		long waited;
		if (rc)
			return rc;
		v = mg_rows_get(&r, 0, 0);
		if (v && !strcmp(v, "t")) {
			mg_rows_release(&r);
			p->locked = true;
			mg_buf_release(&who);
			return 0;
		}
		mg_rows_release(&r);
		if (p->opts.stop && p->opts.stop()) {
			mg_buf_release(&who);
			return mg_err_set(err, MG_EINTERRUPTED, "interrupted",
					  "interrupted while waiting for the migration lock");
		}
		waited = (long)((mg_db_clock_us() - start) / 1000);
		if (!told || waited >= p->opts.lock_wait_ms) {
			mg_buf_reset(&who);
			lock_holder(p, k, &who);
		}
		if (waited >= p->opts.lock_wait_ms) {
			mg_err_set(err, MG_EDB, "lock-timeout",
				   "another runner holds the migration lock for '%s' "
				   "(held by %s); gave up after %ld ms", key,
				   who.len ? who.buf : "an unknown session",
				   p->opts.lock_wait_ms);
			mg_err_hint(err, "wait for the other 'migrate up' to finish, or "
					 "raise lock_wait (--lock-wait 5m)");
			mg_buf_release(&who);
			return MG_EDB;
		}
		if (!told && p->opts.notice) {
			fprintf(p->opts.notice, "migrate: waiting for the migration lock "
				"held by %s (up to %lds, lock_wait)\n",
				who.len ? who.buf : "another session",
				p->opts.lock_wait_ms / 1000);
			fflush(p->opts.notice);
			told = true;
		}
		if (sleep_ms > p->opts.lock_wait_ms - waited)
			sleep_ms = p->opts.lock_wait_ms - waited;
		mg_db_sleep_ms(sleep_ms);
		if (sleep_ms < 1000)
			sleep_ms *= 2;
	}
}

static int pg_unlock(struct mg_db *db, struct mg_err *err)
{
	struct pg *p = PG(db);
	const char *params[1] = { p->lock_key };
	int rc;

	if (!p->locked)
		return 0;
	rc = pg_query(db, "SELECT pg_catalog.pg_advisory_unlock($1::bigint)", 1,
		      params, NULL, err);
	p->locked = false;
	return rc;
}

static void pg_cancel(struct mg_db *db)
{
	struct pg *p = PG(db);
	char buf[256];

	if (p->cancel)
		p->pq->PQcancel(p->cancel, buf, sizeof(buf));
}

static char *pg_current_schema(struct mg_db *db, struct mg_err *err)
{
	struct mg_rows r;
	char *s = NULL;

	if (pg_query(db, "SELECT current_schema()", 0, NULL, &r, err))
		return NULL;
	if (mg_rows_get(&r, 0, 0))
		s = mg_xstrdup(mg_rows_get(&r, 0, 0));
	else
		mg_err_set(err, MG_ECONFIG, "no-current-schema",
			   "the search_path names no existing schema");
	mg_rows_release(&r);
	if (!s)
		mg_err_hint(err, "set \"migrations_schema\" in the config or fix "
				 "the role's search_path");
	return s;
}

static int pg_table_columns(struct mg_db *db, const char *schema,
			    const char *table, struct mg_rows *out,
			    struct mg_err *err)
{
	const char *params[2] = { schema, table };

	return pg_query(db,
			"SELECT a.attname FROM pg_catalog.pg_attribute a "
			"JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
			"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
			"WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 "
			"AND NOT a.attisdropped ORDER BY a.attnum",
			2, params, out, err);
}

static int pg_index_state(struct mg_db *db, const char *schema,
			  const char *name, int *state, struct mg_err *err)
{
	const char *params[2] = { name, schema };
	struct mg_rows r;
	int rc;

	*state = 0;
	rc = pg_query(db,
		      "SELECT i.indisvalid FROM pg_catalog.pg_index i "
		      "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid "
		      "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
		      "WHERE c.relname = $1 AND (CASE WHEN $2::text IS NULL "
		      "THEN pg_catalog.pg_table_is_visible(c.oid) "
		      "ELSE n.nspname = $2::text END)",
		      2, params, &r, err);
	if (rc)
		return rc;
	if (r.nrows)
		*state = !strcmp(mg_rows_get(&r, 0, 0), "t") ? 1 : 2;
	mg_rows_release(&r);
	return 0;
}

const struct mg_db_ops mg_driver_pg = {
	.name = "postgres",
	.dialect = MG_DIALECT_PG,
	.transactional_ddl = true,
	.begin_sql = "BEGIN",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.query = pg_query,
	.begin = pg_begin,
	.commit = pg_commit,
	.query_commit = pg_query_commit,
	.rollback = pg_rollback,
	.lock = pg_lock,
	.unlock = pg_unlock,
	.cancel = pg_cancel,
	.current_schema = pg_current_schema,
	.table_columns = pg_table_columns,
	.index_state = pg_index_state,
	.backup = NULL,
};
