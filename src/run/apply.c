/* apply: execute migration scripts with their ledger writes; see apply.h. */
#include "apply.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "signals.h"

static const char *sig_name(int s)
{
	return s == SIGINT ? "SIGINT" : s == SIGTERM ? "SIGTERM" : "a signal";
}

static const char *path_of(const struct mg_apply *a)
{
	const struct mg_script *sc = a->up ? &a->m->up : &a->m->down;
	return sc->src ? sc->src->path : a->m->label;
}

/* err becomes a connection-lost error (a database error: exit 3). */
static void relabel_lost(struct mg_err *err)
{
	if (!err)
		return;
	err->code = MG_EDB;
	snprintf(err->id, sizeof(err->id), "connection-lost");
}

static void print_cmd(struct mg_runner *r, struct mg_sqlcmd *c)
{
	mg_sqlcmd_print(r->out, c);
	mg_sqlcmd_release(c);
}

static int ledger_failed(struct mg_runner *r, int rc, struct mg_err *err)
{
	mg_err_prefix(err, "cannot update the ledger %s", r->ledger.display);
	if (r->db->last.conn_lost)
		relabel_lost(err);
	else
		mg_apply_env_hint(r, err, "nothing of the migration was recorded",
				  "up");
	return rc;
}

static int exec_cmd(struct mg_runner *r, struct mg_sqlcmd *c, struct mg_err *err)
{
	int rc = mg_sqlcmd_exec(r->db, c, err);

	mg_sqlcmd_release(c);
	return rc ? ledger_failed(r, rc, err) : 0;
}

/* exec_cmd, then commit (one round trip on PostgreSQL). *committing: the
 * ledger write succeeded and a failure (if any) is the commit's. */
static int exec_cmd_commit(struct mg_runner *r, struct mg_sqlcmd *c,
			   bool *committing, struct mg_err *err)
{
	int stage = 0;
	int rc = mg_sqlcmd_exec_commit(r->db, c, &stage, err);

	mg_sqlcmd_release(c);
	*committing = stage == 1;
	return rc && !*committing ? ledger_failed(r, rc, err) : rc;
}

static void print_stmt(struct mg_runner *r, const struct mg_stmts *st, size_t i)
{
	char *t = mg_stmts_text(st, i);
	size_t n = strlen(t);

	fputs(t, r->out);
	if (!n || t[n - 1] != ';')
		fputc(';', r->out);
	fputc('\n', r->out);
	free(t);
}

/* SQLite primary result codes (sqlite3.h): run/ sees drivers only through
 * driver.h, whose last.code carries SQLite's extended code. */
enum { SQ_READONLY = 8, SQ_IOERR = 10, SQ_FULL = 13, SQ_CANTOPEN = 14 };

bool mg_apply_env_hint(struct mg_runner *r, struct mg_err *err, const char *done,
		       const char *verb)
{
	const char *path = r->db->url->path ? r->db->url->path : "?";

	if (r->db->ops->dialect != MG_DIALECT_SQLITE || !err)
		return false;
	switch (r->db->last.code & 0xff) {
	case SQ_READONLY:
		mg_err_hint(err, "%s; the database '%s' (or its directory, where "
				 "SQLite creates the journal) is read-only for this "
				 "process: make both writable for the user migrate runs "
				 "as (mode, owner, a read-only mount, chattr +i), then "
				 "run 'migrate %s' again", done, path, verb);
		return true;
	case SQ_FULL:
		mg_err_hint(err, "%s; the disk holding '%s' is full (or "
				 "max_page_count was reached): free space, then run "
				 "'migrate %s' again. If a '%s-journal' is left beside "
				 "it, do not delete it: the next open rolls it back",
			    done, path, verb, path);
		return true;
	case SQ_IOERR:
	case SQ_CANTOPEN:
		mg_err_hint(err, "%s; an I/O error on '%s' or its journal (the "
				 "disk, or permissions of its directory): fix it, then "
				 "run 'migrate %s' again. Do not delete a '-journal' or "
				 "'-wal' file beside it: the next open rolls it back",
			    done, path, verb);
		return true;
	}
	return false;
}

static bool is_notx(const struct mg_apply *a)
{
	return a->up ? a->m->up.no_tx : a->m->down.no_tx;
}

static bool conn_lost(const struct mg_err *err)
{
	return err && !strcmp(err->id, "connection-lost");
}

/* Turn a database error from statement i into a migration error. */
static int stmt_failed(struct mg_runner *r, struct mg_apply *a, size_t i,
		       struct mg_err *err)
{
	const struct mg_db_last *l = &r->db->last;
	unsigned line, col;
	char *msg = mg_xstrdup(err->msg ? err->msg : "error");

	mg_stmts_pos(a->st, i, l->position, &line, &col);
	if (l->conn_lost && !mg_signals_pending()) {
		/* server stopped or crashed, session terminated, network gone */
		mg_err_set(err, MG_EDB, "connection-lost",
			   "lost the connection to the database during statement "
			   "%zu of %zu of '%s': %s", i + 1, a->st->n, a->m->label, msg);
		if (is_notx(a))
			mg_err_hint(err, "no transaction: the ledger row for %s stays "
					 "dirty; once the server is back, 'migrate up' says "
					 "what the statement may have left and how to go on",
				    a->version);
		else
			mg_err_hint(err, "the server rolled the transaction back: the "
					 "schema and the ledger are as before; once the "
					 "server is back, run 'migrate %s' again",
				    a->up ? "up" : "down");
	} else if (mg_signals_pending()) {
		mg_err_set(err, MG_EINTERRUPTED, "interrupted",
			   "interrupted by %s during statement %zu of %zu of '%s'",
			   sig_name(mg_signals_which()), i + 1, a->st->n, a->m->label);
	} else {
		mg_err_set(err, MG_EMIGRATION, "migration-failed",
			   "%s '%s' failed at statement %zu of %zu: %s",
			   a->up ? "migration" : "rollback of", a->m->label, i + 1,
			   a->st->n, msg);
		if (is_notx(a))
			a->env_fault = mg_apply_env_hint(r, err, "no transaction, "
							 "its ledger row stays dirty",
							 a->up ? "up" : "down");
		else
			a->env_fault = mg_apply_env_hint(r, err, "it was rolled back, "
							 "the schema and the ledger "
							 "are as before",
							 a->up ? "up" : "down");
		if (l->canceled && r->cfg->statement_timeout_ms) {
			char d[32];
			mg_config_format_duration(r->cfg->statement_timeout_ms, d, sizeof(d));
			mg_err_hint(err, "statement_timeout (%s) cancelled it: raise it "
					 "with --statement-timeout or set it to 0", d);
		}
	}
	mg_err_at(err, path_of(a), line, col);
	free(msg);
	return err->code;
}

static void backoff_notice(struct mg_runner *r, const struct mg_apply *a,
			   long stmt, long attempt, long wait_ms)
{
	char d[32];

	mg_config_format_duration(wait_ms, d, sizeof(d));
	fprintf(r->errf, "migrate: lock timeout (SQLSTATE 55P03) in '%s' at "
		"statement %ld; retry %ld of %ld in %s\n", a->m->label, stmt + 1,
		attempt, r->cfg->lock_retries, d);
	fflush(r->errf);
}

/* Sleep before retry `attempt` (1-based); false when a signal came. */
static bool backoff(struct mg_runner *r, long attempt)
{
	long ms = r->cfg->lock_retry_backoff_ms;

	for (long k = 1; k < attempt && ms < 3600000; k++)
		ms *= 2;
	mg_db_sleep_ms(ms);
	return !mg_signals_pending();
}

static long backoff_ms(struct mg_runner *r, long attempt)
{
	long ms = r->cfg->lock_retry_backoff_ms;

	for (long k = 1; k < attempt && ms < 3600000; k++)
		ms *= 2;
	return ms;
}

static void timeouts_cmd(struct mg_runner *r, struct mg_sqlcmd *c, bool local)
{
	mg_ledger_cmd_timeouts(&r->ledger, c, r->cfg->lock_timeout_ms,
			       r->cfg->statement_timeout_ms, local);
}

/* SQLite: inside the write transaction, is a's row (not) there already? */
static int reread(struct mg_runner *r, struct mg_apply *a, bool *done,
		  struct mg_err *err)
{
	struct mg_ledger_row row;
	bool found;
	int rc;

	*done = false;
	if (r->db->ops->dialect != MG_DIALECT_SQLITE)
		return 0;
	if (!r->ledger.exists && (rc = mg_ledger_refresh(&r->ledger, err)))
		return rc;
	if ((rc = mg_ledger_get(&r->ledger, a->version, &row, &found, err)))
		return rc;
	*done = a->up ? found : !found;
	if (a->resume) {
		/* continuing our own dirty row: done only if someone else
		 * finished it meanwhile */
		*done = found && !row.dirty;
	} else if (found && a->up && row.dirty) {
		/* another runner's no-transaction migration is in progress or
		 * failed: report it as dirty */
		rc = mg_apply_dirty_error(r, &row, a->m, NULL, err);
		*done = false;
	}
	mg_ledger_row_release(&row);
	return rc;
}

static void ledger_write(struct mg_runner *r, struct mg_apply *a,
			 struct mg_sqlcmd *c, long ms)
{
	if (a->up)
		mg_ledger_cmd_insert_applied(&r->ledger, c, a->version, a->m->name,
					     a->m->up.checksum, ms, (long)a->st->n,
					     r->applied_by);
	else
		mg_ledger_cmd_delete(&r->ledger, c, a->version);
}

/* Run statements [from, n) inside the open transaction. On failure err is
 * the migration error; *lock_timeout says whether to retry. */
static int run_in_tx(struct mg_runner *r, struct mg_apply *a, bool *lock_timeout,
		     long *failed_at, struct mg_err *err)
{
	*lock_timeout = false;
	for (size_t i = 0; i < a->st->n; i++) {
		char *t;
		int rc;
		if (mg_signals_pending()) {
			mg_err_set(err, MG_EINTERRUPTED, "interrupted",
				   "interrupted by %s before statement %zu of '%s'",
				   sig_name(mg_signals_which()), i + 1, a->m->label);
			return MG_EINTERRUPTED;
		}
		t = mg_stmts_text(a->st, i);
		rc = r->db->ops->exec(r->db, t, err);
		free(t);
		if (rc) {
			*lock_timeout = r->db->last.lock_timeout && !mg_signals_pending();
			*failed_at = (long)i;
			return stmt_failed(r, a, i, err);
		}
	}
	return 0;
}

int mg_apply_tx(struct mg_runner *r, struct mg_apply *a, bool dry_run,
		struct mg_err *err)
{
	struct mg_sqlcmd c;

	a->skipped = false;
	a->env_fault = false;
	a->ms = 0;
	if (dry_run) {
		fprintf(r->out, "%s;\n", r->db->ops->begin_sql);
		timeouts_cmd(r, &c, true);
		print_cmd(r, &c);
		for (size_t i = 0; i < a->st->n; i++)
			print_stmt(r, a->st, i);
		ledger_write(r, a, &c, -1);
		print_cmd(r, &c);
		fputs("COMMIT;\n", r->out);
		return 0;
	}
	for (long attempt = 0;; attempt++) {
		long long t0 = mg_db_clock_us();
		bool lock_timeout = false, done, committing;
		long failed_at = 0;
		int rc;

		if ((rc = r->db->ops->begin(r->db, err))) {
			if (mg_signals_pending())
				return mg_err_set(err, MG_EINTERRUPTED, "interrupted",
						  "interrupted by %s while waiting to "
						  "apply '%s'", sig_name(mg_signals_which()),
						  a->m->label);
			if (r->db->last.conn_lost) {
				mg_err_prefix(err, "lost the connection to the database "
					      "before '%s' started", a->m->label);
				relabel_lost(err);
				mg_err_hint(err, "nothing of it ran; once the server is "
						 "back, run 'migrate %s' again",
					    a->up ? "up" : "down");
			}
			return rc;
		}
		if ((rc = reread(r, a, &done, err))) {
			r->db->ops->rollback(r->db, NULL);
			return rc;
		}
		if (done) {
			r->db->ops->rollback(r->db, NULL);
			a->skipped = true;
			return 0;
		}
		timeouts_cmd(r, &c, true);
		if ((rc = exec_cmd(r, &c, err)) ||
		    (rc = run_in_tx(r, a, &lock_timeout, &failed_at, err))) {
			r->db->ops->rollback(r->db, NULL);
			if (lock_timeout && attempt < r->cfg->lock_retries) {
				long w = backoff_ms(r, attempt + 1);
				backoff_notice(r, a, failed_at, attempt + 1, w);
				if (backoff(r, attempt + 1)) {
					mg_err_release(err);
					continue;
				}
				return mg_err_set(err, MG_EINTERRUPTED, "interrupted",
						  "interrupted by %s while waiting to "
						  "retry '%s'", sig_name(mg_signals_which()),
						  a->m->label);
			}
			if (rc == MG_EMIGRATION && lock_timeout)
				mg_err_hint(err, "gave up after %ld retries; another "
						 "session holds a conflicting lock: find it in "
						 "pg_locks, or raise lock_timeout / lock_retries",
					    r->cfg->lock_retries);
			else if (conn_lost(err) && !err->hint)
				mg_err_hint(err, "the server rolled the transaction back: "
						 "the schema and the ledger are as before; once "
						 "the server is back, run 'migrate %s' again",
					    a->up ? "up" : "down");
			else if (rc == MG_EMIGRATION && !err->hint)
				mg_err_hint(err, "it was rolled back: the schema and the "
						 "ledger are as before; fix it and run "
						 "'migrate %s' again", a->up ? "up" : "down");
			return rc;
		}
		a->ms = (long)((mg_db_clock_us() - t0) / 1000);
		ledger_write(r, a, &c, a->ms);
		if ((rc = exec_cmd_commit(r, &c, &committing, err)) && !committing) {
			r->db->ops->rollback(r->db, NULL);
			if (conn_lost(err))
				mg_err_hint(err, "the server rolled the transaction back: "
						 "the schema and the ledger are as before; once "
						 "the server is back, run 'migrate %s' again",
					    a->up ? "up" : "down");
			return rc;
		}
		if (rc) {
			struct mg_db_last last = r->db->last;
			bool env = mg_apply_env_hint(r, err, "it was rolled back, "
						     "the schema and the ledger are "
						     "as before", a->up ? "up" : "down");
			r->db->ops->rollback(r->db, NULL);
			r->db->last = last;
			if (mg_signals_pending())
				return mg_err_set(err, MG_EINTERRUPTED, "interrupted",
						  "interrupted by %s while committing '%s'",
						  sig_name(mg_signals_which()), a->m->label);
			if (r->db->last.conn_lost) {
				mg_err_prefix(err, "lost the connection to the database "
					      "while committing '%s'", a->m->label);
				relabel_lost(err);
				mg_err_hint(err, "the server may or may not have committed "
						 "it; the migration and its ledger row commit "
						 "together, so they agree either way: once the "
						 "server is back, 'migrate status' shows which, "
						 "and 'migrate %s' goes on", a->up ? "up" : "down");
				return MG_EDB;
			}
			mg_err_prefix(err, "cannot commit '%s'", a->m->label);
			if (err->code == MG_EDB)
				err->code = MG_EMIGRATION;
			a->env_fault = env;
			return err->code;
		}
		a->ms = (long)((mg_db_clock_us() - t0) / 1000);
		return 0;
	}
}

/* Run statement i alone (autocommit), retrying lock timeouts. */
static int run_one(struct mg_runner *r, struct mg_apply *a, size_t i,
		   struct mg_err *err)
{
	for (long attempt = 0;; attempt++) {
		char *t = mg_stmts_text(a->st, i);
		int rc = r->db->ops->exec(r->db, t, err);
		free(t);
		if (!rc)
			return 0;
		if (r->db->last.lock_timeout && !mg_signals_pending() &&
		    attempt < r->cfg->lock_retries) {
			backoff_notice(r, a, (long)i, attempt + 1, backoff_ms(r, attempt + 1));
			if (backoff(r, attempt + 1)) {
				mg_err_release(err);
				continue;
			}
		}
		return stmt_failed(r, a, i, err);
	}
}

int mg_apply_notx(struct mg_runner *r, struct mg_apply *a, bool dry_run,
		  struct mg_err *err)
{
	struct mg_sqlcmd c;
	long long t0 = mg_db_clock_us();
	size_t start = a->resume && a->start > 0 ? (size_t)a->start : 0;
	int rc;

	a->skipped = false;
	a->env_fault = false;
	if (dry_run) {
		if (!a->up)
			mg_ledger_cmd_reverting(&r->ledger, &c, a->version);
		else if (a->resume)
			mg_ledger_cmd_resume(&r->ledger, &c, a->version,
					     a->m->up.checksum, r->applied_by);
		else
			mg_ledger_cmd_insert_running(&r->ledger, &c, a->version,
						     a->m->name, a->m->up.checksum,
						     r->applied_by);
		print_cmd(r, &c);
		timeouts_cmd(r, &c, false);
		print_cmd(r, &c);
		for (size_t i = start; i < a->st->n; i++) {
			print_stmt(r, a->st, i);
			mg_ledger_cmd_progress(&r->ledger, &c, a->version, (long)i + 1);
			print_cmd(r, &c);
		}
		if (a->up)
			mg_ledger_cmd_finish(&r->ledger, &c, a->version, a->m->up.checksum,
					     -1, (long)a->st->n);
		else
			mg_ledger_cmd_delete(&r->ledger, &c, a->version);
		print_cmd(r, &c);
		mg_ledger_cmd_reset_timeouts(&r->ledger, &c);
		print_cmd(r, &c);
		return 0;
	}

	/* the dirty row, written before the first statement */
	if (r->db->ops->dialect == MG_DIALECT_SQLITE) {
		bool done;
		if ((rc = r->db->ops->begin(r->db, err)))
			return rc;
		if ((rc = reread(r, a, &done, err)) || done) {
			r->db->ops->rollback(r->db, NULL);
			a->skipped = !rc;
			return rc;
		}
	}
	if (!a->up)
		mg_ledger_cmd_reverting(&r->ledger, &c, a->version);
	else if (a->resume)
		mg_ledger_cmd_resume(&r->ledger, &c, a->version, a->m->up.checksum,
				     r->applied_by);
	else
		mg_ledger_cmd_insert_running(&r->ledger, &c, a->version, a->m->name,
					     a->m->up.checksum, r->applied_by);
	if ((rc = exec_cmd(r, &c, err))) {
		if (r->db->in_tx)
			r->db->ops->rollback(r->db, NULL);
		return rc;
	}
	if (r->db->in_tx && (rc = r->db->ops->commit(r->db, err)))
		return rc;

	timeouts_cmd(r, &c, false);
	if ((rc = exec_cmd(r, &c, err)))
		return rc;
	for (size_t i = start; i < a->st->n; i++) {
		if (mg_signals_pending()) {
			rc = mg_err_set(err, MG_EINTERRUPTED, "interrupted",
					"interrupted by %s before statement %zu of %zu "
					"of '%s'", sig_name(mg_signals_which()), i + 1,
					a->st->n, a->m->label);
			break;
		}
		if ((rc = run_one(r, a, i, err)))
			break;
		mg_ledger_cmd_progress(&r->ledger, &c, a->version, (long)i + 1);
		if ((rc = exec_cmd(r, &c, err)))
			break;
	}
	{
		struct mg_err e2 = MG_ERR_INIT;
		mg_ledger_cmd_reset_timeouts(&r->ledger, &c);
		exec_cmd(r, &c, &e2);
		mg_err_release(&e2);
	}
	if (rc) {
		if (conn_lost(err)) {
			mg_err_hint(err, "no transaction: the ledger row for %s stays "
					 "dirty (%s); once the server is back, 'migrate up' says what the "
					 "interrupted statement may have left and how to go "
					 "on ('migrate up --resume' or 'migrate mark')",
				    a->version, a->up ? MG_STATE_RUNNING : MG_STATE_REVERTING);
		} else if ((rc == MG_EMIGRATION || rc == MG_EINTERRUPTED) &&
			   !a->env_fault) {
			struct mg_buf h = MG_BUF_INIT;
			mg_buf_addf(&h, "no transaction: the ledger row for %s stays "
				    "dirty (%s); run 'migrate status' to see what it "
				    "left and how to go on", a->version,
				    a->up ? MG_STATE_RUNNING : MG_STATE_REVERTING);
			mg_err_hint(err, "%s", h.buf);
			mg_buf_release(&h);
		}
		return rc;
	}
	a->ms = (long)((mg_db_clock_us() - t0) / 1000);
	if (a->up)
		mg_ledger_cmd_finish(&r->ledger, &c, a->version, a->m->up.checksum,
				     a->ms, (long)a->st->n);
	else
		mg_ledger_cmd_delete(&r->ledger, &c, a->version);
	return exec_cmd(r, &c, err);
}

int mg_apply_batch(struct mg_runner *r, struct mg_apply *v, size_t n,
		   bool dry_run, struct mg_err *err)
{
	struct mg_sqlcmd c;

	if (dry_run) {
		fprintf(r->out, "%s;\n", r->db->ops->begin_sql);
		timeouts_cmd(r, &c, true);
		print_cmd(r, &c);
		for (size_t k = 0; k < n; k++) {
			fprintf(r->out, "-- %s\n", v[k].m->label);
			for (size_t i = 0; i < v[k].st->n; i++)
				print_stmt(r, v[k].st, i);
			ledger_write(r, &v[k], &c, -1);
			print_cmd(r, &c);
		}
		fputs("COMMIT;\n", r->out);
		return 0;
	}
	for (long attempt = 0;; attempt++) {
		bool lock_timeout = false;
		long failed_at = 0;
		size_t k = 0;
		int rc;

		if ((rc = r->db->ops->begin(r->db, err)))
			return rc;
		timeouts_cmd(r, &c, true);
		if ((rc = exec_cmd(r, &c, err))) {
			r->db->ops->rollback(r->db, NULL);
			return rc;
		}
		for (k = 0; k < n && !rc; k++) {
			long long t0 = mg_db_clock_us();
			bool done;
			v[k].skipped = false;
			if ((rc = reread(r, &v[k], &done, err)))
				break;
			if (done) {
				v[k].skipped = true;
				continue;
			}
			if ((rc = run_in_tx(r, &v[k], &lock_timeout, &failed_at, err)))
				break;
			v[k].ms = (long)((mg_db_clock_us() - t0) / 1000);
			ledger_write(r, &v[k], &c, v[k].ms);
			rc = exec_cmd(r, &c, err);
		}
		if (!rc && (rc = r->db->ops->commit(r->db, err))) {
			mg_err_prefix(err, "cannot commit the single transaction");
			if (err->code == MG_EDB)
				err->code = MG_EMIGRATION;
			rc = err->code;
		}
		if (!rc)
			return 0;
		r->db->ops->rollback(r->db, NULL);
		if (lock_timeout && attempt < r->cfg->lock_retries && k > 0) {
			long w = backoff_ms(r, attempt + 1);
			backoff_notice(r, &v[k - 1], failed_at, attempt + 1, w);
			if (backoff(r, attempt + 1)) {
				mg_err_release(err);
				continue;
			}
		}
		if (rc == MG_EMIGRATION || conn_lost(err))
			mg_err_hint(err, "--single-transaction: the whole batch of %zu "
					 "migrations was rolled back; nothing was applied%s", n,
				    conn_lost(err) ? "; once the server is back, run "
				    "'migrate up' again" : "");
		return rc;
	}
}

int mg_apply_dirty_error(struct mg_runner *r, const struct mg_ledger_row *row,
			 const struct mg_migration *m, const struct mg_stmts *st,
			 struct mg_err *err)
{
	bool reverting = row->state && !strcmp(row->state, MG_STATE_REVERTING);
	long k = row->statements_done;
	struct mg_buf d = MG_BUF_INIT, h = MG_BUF_INIT, w = MG_BUF_INIT;
	const char *label = m ? m->label : row->version;
	const char *vw = mg_ledger_version_word(row->version, &w);

	if (st && k >= 0 && (size_t)k < st->n) {
		unsigned line, col;
		char *first = mg_stmts_first_line(st, (size_t)k);
		const char *iname, *ischema;
		bool conc;
		mg_stmts_pos(st, (size_t)k, 0, &line, &col);
		mg_err_set(err, MG_EREFUSED, "dirty-migration",
			   "migration '%s' is dirty: its %s (no transaction) failed "
			   "or was interrupted at statement %ld of %zu",
			   label, reverting ? "rollback" : "up", k + 1, st->n);
		mg_err_at(err, st->script->src->path, line, col);
		if (k == 0)
			mg_buf_addf(&d, "no statement completed; statement 1 may have "
				    "partly run: %s", first);
		else if (k == 1)
			mg_buf_addf(&d, "statement 1 completed; statement 2 may have "
				    "partly run: %s", first);
		else
			mg_buf_addf(&d, "statements 1-%ld completed; statement %ld may "
				    "have partly run: %s", k, k + 1, first);
		free(first);
		if (mg_stmts_index(st, (size_t)k, &iname, &ischema, &conc) &&
		    r->db->ops->index_state) {
			int state = 0;
			struct mg_err e2 = MG_ERR_INIT;
			if (!r->db->ops->index_state(r->db, ischema, iname, &state, &e2)) {
				if (state == 2)
					mg_buf_addf(&d, "\n  state: index \"%s\" exists and is "
						    "INVALID (pg_index.indisvalid = false), left "
						    "by the failed build: drop it with DROP INDEX "
						    "CONCURRENTLY %s; before resuming", iname, iname);
				else if (state == 1)
					mg_buf_addf(&d, "\n  state: index \"%s\" exists and is "
						    "valid: the statement may have completed "
						    "before the stop", iname);
				else
					mg_buf_addf(&d, "\n  state: index \"%s\" does not exist",
						    iname);
			}
			mg_err_release(&e2);
		}
	} else {
		mg_err_set(err, MG_EREFUSED, "dirty-migration",
			   "migration '%s' is dirty: its %s (no transaction) failed or "
			   "was interrupted after %ld statements", label,
			   reverting ? "rollback" : "up", k);
		if (!m)
			mg_buf_addf(&d, "its file is gone");
	}
	if (d.len)
		mg_err_detail(err, "%s", d.buf);
	if (reverting)
		mg_buf_addf(&h, "finish or undo the rollback by hand, then record the "
			    "result with 'migrate mark %s --rolled-back' or "
			    "'migrate mark %s --applied'", vw, vw);
	else if (m)
		mg_buf_addf(&h, "run 'migrate up --resume' to re-run it from statement "
			    "%ld, or repair by hand and record the result with "
			    "'migrate mark %s --applied' or 'migrate mark %s --rolled-back'",
			    k + 1, vw, vw);
	else
		mg_buf_addf(&h, "restore the file, or repair by hand and run "
			    "'migrate mark %s --rolled-back'", vw);
	mg_err_hint(err, "%s", h.buf);
	mg_buf_release(&d);
	mg_buf_release(&h);
	mg_buf_release(&w);
	return MG_EREFUSED;
}
