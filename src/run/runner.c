/* runner: up, down and mark; see runner.h. */
#include "runner.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../migset/version.h"
#include "apply.h"
#include "signals.h"

static const struct mg_ledger_row *row_of(const struct mg_runner *r, size_t i)
{
	const struct mg_plan_item *it = &r->plan.items[i];
	return it->row >= 0 ? &r->rows.v[it->row] : NULL;
}

static const struct mg_migration *mig_of(const struct mg_runner *r, size_t i)
{
	const struct mg_plan_item *it = &r->plan.items[i];
	return it->mig >= 0 ? &r->set->items[it->mig] : NULL;
}

static const char *version_of(const struct mg_runner *r, size_t i)
{
	return mg_plan_version(&r->plan, r->set, &r->rows, i);
}

long mg_runner_find(const struct mg_runner *r, const char *version)
{
	/* Versions compare by their digit groups ("20240101" matches
	 * "2024-01-01"), so text with no digits (an adopted ledger can hold
	 * '' or 'init') would match any other such text: the exact text
	 * wins, and text without digits matches only exactly. */
	bool loose = strpbrk(version, "0123456789") != NULL;
	long found = -1;

	for (size_t i = 0; i < r->plan.n; i++) {
		const char *v = version_of(r, i);
		if (!strcmp(v, version))
			return (long)i;
		if (loose && found < 0 && !mg_version_cmp(v, version))
			found = (long)i;
	}
	return found;
}

/* The fields both ways of opening a runner set alike. */
static void runner_init(struct mg_runner *r, const struct mg_config *cfg,
			const struct mg_migset *set, struct mg_db *db)
{
	memset(r, 0, sizeof(*r));
	r->cfg = cfg;
	r->set = set;
	r->db = db;
	r->out = stdout;
	r->errf = stderr;
	r->applied_by = mg_ledger_applied_by();
}

int mg_runner_open(struct mg_runner *r, const struct mg_config *cfg,
		   const struct mg_migset *set, struct mg_db *db, bool lock,
		   struct mg_err *err)
{
	int rc;

	runner_init(r, cfg, set, db);
	if ((rc = mg_ledger_init(&r->ledger, db, cfg->migrations_schema,
				 cfg->migrations_table, err)))
		return rc;
	if (lock) {
		char *key = mg_xasprintf("%s", r->ledger.display);
		/* from here on the first SIGINT/SIGTERM cancels and unwinds
		 * (signals.h); before, it kills as usual (e.g. a hung connect) */
		mg_signals_install();
		mg_signals_set_db(db);
		rc = db->ops->lock(db, key, err);
		free(key);
		if (rc)
			return rc;
		r->locked = true;
		/* another runner may have created or changed it meanwhile */
		if ((rc = mg_ledger_refresh(&r->ledger, err)))
			return rc;
	}
	if ((rc = mg_ledger_read(&r->ledger, &r->rows, err)))
		return rc;
	mg_plan_build(&r->plan, set, &r->rows);
	return 0;
}

int mg_runner_open_prefetched(struct mg_runner *r, const struct mg_config *cfg,
			      const struct mg_migset *set, struct mg_db *db,
			      struct mg_prefetch *p, struct mg_err *err)
{
	runner_init(r, cfg, set, db);
	/* the ledger as far as it got, so mg_runner_close releases it */
	r->ledger = p->ledger;
	r->rows = p->rows;
	memset(&p->ledger, 0, sizeof(p->ledger));
	memset(&p->rows, 0, sizeof(p->rows));
	if (p->ledger_rc) {
		mg_err_move(err, &p->ledger_err);
		return p->ledger_rc;
	}
	mg_plan_build(&r->plan, set, &r->rows);
	return 0;
}

void mg_runner_close(struct mg_runner *r)
{
	if (r->locked && r->db) {
		struct mg_err e = MG_ERR_INIT;
		if (r->db->in_tx)
			r->db->ops->rollback(r->db, NULL);
		r->db->ops->unlock(r->db, &e);
		mg_err_release(&e);
	}
	mg_signals_set_db(NULL);
	mg_signals_restore();
	mg_plan_release(&r->plan);
	mg_ledger_rows_release(&r->rows);
	mg_ledger_release(&r->ledger);
	free(r->applied_by);
	memset(r, 0, sizeof(*r));
}

void mg_up_job_release(struct mg_up_job *job)
{
	for (size_t i = 0; i < job->n; i++)
		mg_stmts_release(&job->stmts[i]);
	free(job->stmts);
	free(job->migs);
	memset(job, 0, sizeof(*job));
}

/* A SQLite splitter seeded with the target database's schema. */
static struct mg_sqlite_splitter *seeded_splitter(struct mg_runner *r)
{
	struct mg_sqlite_splitter *sp = mg_sqlite_splitter_new();
	struct mg_rows rows;
	struct mg_err e = MG_ERR_INIT;

	if (!r->db->ops->query(r->db, "SELECT sql FROM sqlite_schema WHERE sql IS "
			       "NOT NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
			       "ORDER BY rowid", 0, NULL, &rows, &e)) {
		for (size_t i = 0; i < rows.nrows; i++)
			mg_sqlite_splitter_seed(sp, mg_rows_get(&rows, i, 0));
		mg_rows_release(&rows);
	}
	mg_err_release(&e);
	return sp;
}

/* Refusals for drift, missing files and out-of-order pending files. */
static int check_plan(struct mg_runner *r, const struct mg_up_opts *o,
		      struct mg_err *err)
{
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct mg_plan_item *it = &r->plan.items[i];
		const struct mg_migration *m = mig_of(r, i);
		const struct mg_ledger_row *row = row_of(r, i);

		if (it->drifted && !o->allow_drift) {
			mg_err_set(err, MG_EREFUSED, "checksum-mismatch",
				   "applied migration '%s' changed since it was applied",
				   m->label);
			mg_err_at(err, m->up.src ? m->up.src->path : NULL, 0, 0);
			mg_err_detail(err, "recorded checksum %.12s..., file checksum "
				      "%.12s...", row->checksum, m->up.checksum);
			mg_err_hint(err, "restore the applied version of the file and put "
					 "the change in a new migration; or pass "
					 "--allow-drift (then 'migrate mark %s --applied' "
					 "records the new checksum)", row->version);
			return MG_EREFUSED;
		}
		if (it->state == MG_PLAN_MISSING && !o->allow_missing) {
			struct mg_buf w = MG_BUF_INIT;
			const char *v = mg_ledger_version_word(row->version, &w);

			mg_err_set(err, MG_EREFUSED, "missing-migration-file",
				   "version %s is recorded as applied but its file is "
				   "not in %s", v, r->set->dir);
			mg_err_hint(err, "restore the file, or pass --allow-missing, or "
					 "remove the record with 'migrate mark %s "
					 "--rolled-back'", v);
			mg_buf_release(&w);
			return MG_EREFUSED;
		}
		if (it->out_of_order && !o->allow_out_of_order &&
		    (!o->to || mg_version_cmp(m->version, o->to) <= 0)) {
			mg_err_set(err, MG_EREFUSED, "out-of-order",
				   "pending migration '%s' is older than the newest "
				   "applied version %s", m->label, r->plan.newest);
			mg_err_at(err, m->up.src ? m->up.src->path : NULL, 0, 0);
			mg_err_hint(err, "it was probably merged from another branch: "
					 "apply it anyway with --allow-out-of-order, or give "
					 "it a newer version");
			return MG_EREFUSED;
		}
	}
	return 0;
}

int mg_runner_up_plan(struct mg_runner *r, const struct mg_up_opts *o,
		      struct mg_up_job *job, struct mg_err *err)
{
	struct mg_sqlite_splitter *sp = NULL;
	size_t cap = 0;
	int rc;

	memset(job, 0, sizeof(*job));
	job->resume_row = -1;
	if (o->to && mg_runner_find(r, o->to) < 0) {
		mg_err_set(err, MG_EUSAGE, "unknown-version",
			   "no migration with version '%s' in %s", o->to, r->set->dir);
		mg_err_hint(err, "'migrate status' lists the versions");
		return MG_EUSAGE;
	}
	/* dirty rows first: nothing else may run while one exists */
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct mg_plan_item *it = &r->plan.items[i];
		const struct mg_ledger_row *row = row_of(r, i);
		const struct mg_migration *m = mig_of(r, i);
		bool reverting;
		if (it->state != MG_PLAN_DIRTY)
			continue;
		reverting = !strcmp(row->state, MG_STATE_REVERTING);
		if (o->resume && m && !reverting && job->resume_row < 0 &&
		    m->up.present) {
			job->resume_row = it->row;
			MG_GROW(job->migs, cap, job->n + 1);
			job->migs[job->n++] = (size_t)it->mig;
			continue;
		}
		{
			struct mg_stmts st;
			struct mg_err pe = MG_ERR_INIT;
			bool ok = m && !mg_stmts_prepare(&st, reverting ? &m->down : &m->up,
							 r->db->ops->dialect, NULL, &pe);
			mg_apply_dirty_error(r, row, m, ok ? &st : NULL, err);
			if (m)
				mg_stmts_release(&st);
			mg_err_release(&pe);
			if (o->resume && reverting) {
				struct mg_buf w = MG_BUF_INIT;

				mg_err_hint(err, "--resume continues an interrupted up only: "
						 "finish the rollback by hand, then 'migrate mark "
						 "%s --rolled-back'",
					    mg_ledger_version_word(row->version, &w));
				mg_buf_release(&w);
			}
			return MG_EREFUSED;
		}
	}
	if ((rc = check_plan(r, o, err)))
		return rc;
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct mg_plan_item *it = &r->plan.items[i];
		if (it->state != MG_PLAN_PENDING)
			continue;
		if (o->to && mg_version_cmp(version_of(r, i), o->to) > 0)
			continue;
		MG_GROW(job->migs, cap, job->n + 1);
		job->migs[job->n++] = (size_t)it->mig;
	}
	if (o->single_tx) {
		for (size_t k = 0; k < job->n; k++) {
			const struct mg_migration *m = &r->set->items[job->migs[k]];
			if (m->up.no_tx || job->resume_row >= 0) {
				mg_err_set(err, MG_EUSAGE, "single-transaction-no-tx",
					   "--single-transaction cannot include '%s': it "
					   "runs without a transaction", m->label);
				mg_err_hint(err, "apply up to the version before it with "
						 "--to, then run it on its own");
				return MG_EUSAGE;
			}
		}
	}
	/* parse every script before anything runs */
	job->stmts = mg_xcalloc(job->n + 1, sizeof(job->stmts[0]));
	if (r->db->ops->dialect == MG_DIALECT_SQLITE && job->n)
		sp = seeded_splitter(r);
	for (size_t k = 0; k < job->n; k++) {
		const struct mg_migration *m = &r->set->items[job->migs[k]];
		if ((rc = mg_stmts_prepare(&job->stmts[k], &m->up, r->db->ops->dialect,
					   sp, err))) {
			mg_sqlite_splitter_free(sp);
			for (size_t j = k + 1; j < job->n; j++)
				memset(&job->stmts[j], 0, sizeof(job->stmts[j]));
			return rc;
		}
	}
	mg_sqlite_splitter_free(sp);
	return 0;
}

/* Create or adopt the ledger table (under the lock / write lock). */
static int ensure_ledger(struct mg_runner *r, bool dry_run, struct mg_err *err)
{
	struct mg_sqlcmds cmds = { 0 };
	int rc = 0;

	if (dry_run) {
		mg_ledger_ensure_cmds(&r->ledger, &cmds);
		for (size_t i = 0; i < cmds.n; i++)
			mg_sqlcmd_print(r->out, &cmds.v[i]);
		if (cmds.n)
			fputc('\n', r->out);
		mg_sqlcmds_release(&cmds);
		return 0;
	}
	if (r->ledger.exists) {
		bool complete = true;
		for (int k = 0; k < MG_LEDGER_NCOLS; k++)
			complete &= r->ledger.has[k];
		if (complete)
			return 0;
	}
	if ((rc = r->db->ops->begin(r->db, err)))
		return rc;
	if (!(rc = mg_ledger_refresh(&r->ledger, err))) {
		mg_ledger_ensure_cmds(&r->ledger, &cmds);
		for (size_t i = 0; !rc && i < cmds.n; i++)
			rc = mg_sqlcmd_exec(r->db, &cmds.v[i], err);
	}
	if (!rc)
		rc = r->db->ops->commit(r->db, err);
	if (rc) {
		mg_apply_env_hint(r, err, "nothing was changed", "up");
		r->db->ops->rollback(r->db, NULL);
		mg_err_prefix(err, "cannot create the ledger table %s", r->ledger.display);
	} else {
		rc = mg_ledger_refresh(&r->ledger, err);
	}
	mg_sqlcmds_release(&cmds);
	return rc;
}

static void fmt_ms(char *buf, size_t n, long ms)
{
	if (ms < 1000)
		snprintf(buf, n, "%ld ms", ms);
	else
		snprintf(buf, n, "%.2f s", (double)ms / 1000);
}

static const char *sig_name(int s)
{
	return s == SIGINT ? "SIGINT" : s == SIGTERM ? "SIGTERM" : "a signal";
}

static void print_done(struct mg_runner *r, const char *verb, const struct mg_apply *a)
{
	char d[32];

	if (a->skipped) {
		fprintf(r->out, "skipped  %s (%s by another runner)\n", a->m->label,
			a->up ? "applied" : "rolled back");
		return;
	}
	fmt_ms(d, sizeof(d), a->ms);
	fprintf(r->out, "%-8s %s (%s)\n", verb, a->m->label, d);
	fflush(r->out);
}

/* Say what an interruption left: fills err's message. */
static void interrupted(struct mg_runner *r, const struct mg_apply *a,
			bool notx, size_t done, size_t left, bool up,
			struct mg_err *err)
{
	char *old = mg_xstrdup(err->msg ? err->msg : "");

	if (notx)
		mg_err_set(err, MG_EINTERRUPTED, "interrupted",
			   "interrupted by %s: '%s' runs without a transaction and is "
			   "left dirty with its progress recorded; %zu %s before it, "
			   "%zu not run", sig_name(mg_signals_which()), a->m->label, done,
			   up ? "applied" : "rolled back", left);
	else
		mg_err_set(err, MG_EINTERRUPTED, "interrupted",
			   "interrupted by %s: '%s' was rolled back; %zu %s before it, "
			   "%zu not run", sig_name(mg_signals_which()), a->m->label, done,
			   up ? "applied" : "rolled back", left);
	mg_err_detail(err, "%s", old);
	free(old);
}

int mg_runner_up_apply(struct mg_runner *r, const struct mg_up_opts *o,
		       struct mg_up_job *job, struct mg_err *err)
{
	struct mg_apply *v;
	long long t0 = mg_db_clock_us();
	size_t applied = 0, skipped = 0;
	int rc = 0;
	char d[32];

	if (o->dry_run)
		fprintf(r->out, "-- migrate up --dry-run: %zu migration%s to apply on "
			"%s; nothing is executed\n-- ledger %s (reads are not shown)\n\n",
			job->n, job->n == 1 ? "" : "s", r->db->url->redacted,
			r->ledger.display);
	if (!job->n) {
		if (!o->dry_run)
			fprintf(r->out, "migrate: nothing to apply (%zu applied)\n",
				r->plan.napplied);
		return 0;
	}
	if (o->backup && !o->dry_run) {
		if (!r->db->ops->backup)
			return mg_err_set(err, MG_ECONFIG, "bad-config-value",
					  "backup is supported for SQLite databases only");
		if ((rc = r->db->ops->backup(r->db, o->backup, err)))
			return rc;
		fprintf(r->out, "backup   %s\n", o->backup);
	}
	if ((rc = ensure_ledger(r, o->dry_run, err)))
		return rc;
	v = mg_xcalloc(job->n, sizeof(*v));
	for (size_t k = 0; k < job->n; k++) {
		const struct mg_migration *m = &r->set->items[job->migs[k]];
		v[k].m = m;
		v[k].st = &job->stmts[k];
		v[k].up = true;
		v[k].version = m->version;
		if (k == 0 && job->resume_row >= 0) {
			v[k].resume = true;
			v[k].start = r->rows.v[job->resume_row].statements_done;
			v[k].version = r->rows.v[job->resume_row].version;
		}
	}
	if (o->single_tx) {
		if (o->dry_run)
			fprintf(r->out, "-- all %zu migrations in one transaction\n", job->n);
		rc = mg_apply_batch(r, v, job->n, o->dry_run, err);
		for (size_t k = 0; !rc && !o->dry_run && k < job->n; k++) {
			print_done(r, "applied", &v[k]);
			applied += !v[k].skipped;
			skipped += v[k].skipped;
		}
		if (rc == MG_EINTERRUPTED)
			mg_err_prefix(err, "interrupted by %s: the single transaction was "
				      "rolled back, nothing was applied",
				      sig_name(mg_signals_which()));
	} else {
		for (size_t k = 0; k < job->n; k++) {
			bool notx = v[k].m->up.no_tx;
			if (o->dry_run)
				fprintf(r->out, "-- %s: up%s%s\n", v[k].m->label,
					notx ? " (no transaction)" : " (transaction)",
					v[k].resume ? ", resumed" : "");
			if (!o->dry_run && mg_signals_pending()) {
				mg_err_set(err, MG_EINTERRUPTED, "interrupted",
					   "interrupted by %s: %zu migration%s applied, %zu "
					   "not run", sig_name(mg_signals_which()), applied,
					   applied == 1 ? "" : "s", job->n - k);
				rc = MG_EINTERRUPTED;
				break;
			}
			if (!o->dry_run && notx && v[k].resume)
				fprintf(r->out, "applying %s (no transaction, %zu statement%s, "
					"resuming at statement %ld)\n", v[k].m->label,
					v[k].st->n, v[k].st->n == 1 ? "" : "s", v[k].start + 1);
			else if (!o->dry_run && notx)
				fprintf(r->out, "applying %s (no transaction, %zu statement%s)\n",
					v[k].m->label, v[k].st->n, v[k].st->n == 1 ? "" : "s");
			if (!o->dry_run && notx)
				fflush(r->out);
			rc = notx ? mg_apply_notx(r, &v[k], o->dry_run, err)
				  : mg_apply_tx(r, &v[k], o->dry_run, err);
			if (rc == MG_EINTERRUPTED) {
				interrupted(r, &v[k], notx, applied, job->n - k - 1, true, err);
				break;
			}
			if (rc) {
				if (k + 1 < job->n || applied) {
					char *old = err->detail ? mg_xstrdup(err->detail) : NULL;
					mg_err_detail(err, "%s%s%zu migration%s applied before "
						      "it, %zu not run", old ? old : "",
						      old ? "\n  " : "", applied,
						      applied == 1 ? "" : "s", job->n - k - 1);
					free(old);
				}
				break;
			}
			if (o->dry_run) {
				fputc('\n', r->out);
				continue;
			}
			print_done(r, "applied", &v[k]);
			applied += !v[k].skipped;
			skipped += v[k].skipped;
		}
	}
	free(v);
	if (rc || o->dry_run)
		return rc;
	fmt_ms(d, sizeof(d), (long)((mg_db_clock_us() - t0) / 1000));
	if (skipped)
		fprintf(r->out, "migrate: %zu migration%s applied, %zu skipped "
			"(applied by another runner) in %s\n", applied,
			applied == 1 ? "" : "s", skipped, d);
	else
		fprintf(r->out, "migrate: %zu migration%s applied in %s\n", applied,
			applied == 1 ? "" : "s", d);
	return 0;
}

/* Sort applied plan items for rollback: newest applied_at first (NULL =
 * oldest), then newest version. */
static int cmp_down(const void *a, const void *b, void *arg)
{
	const struct mg_runner *r = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct mg_ledger_row *rx = row_of(r, x), *ry = row_of(r, y);
	const char *ax = rx->applied_at, *ay = ry->applied_at;
	int c;

	if (ax && ay && (c = strcmp(ax, ay)))
		return -c;
	if (!ax != !ay)
		return ax ? -1 : 1;
	return -mg_version_cmp(rx->version, ry->version);
}

int mg_runner_down(struct mg_runner *r, const struct mg_down_opts *o,
		   struct mg_err *err)
{
	size_t *order = mg_xcalloc(r->plan.n + 1, sizeof(size_t));
	size_t n = 0, want;
	struct mg_stmts *st = NULL;
	struct mg_apply *v = NULL;
	long long t0 = mg_db_clock_us();
	size_t done = 0, skipped = 0;
	int rc = 0;
	char d[32];

	if (o->to && mg_runner_find(r, o->to) < 0) {
		rc = mg_err_set(err, MG_EUSAGE, "unknown-version",
				"no migration with version '%s' in the directory or "
				"the ledger", o->to);
		goto out;
	}
	for (size_t i = 0; i < r->plan.n; i++) {
		const struct mg_plan_item *it = &r->plan.items[i];
		if (it->state == MG_PLAN_DIRTY) {
			const struct mg_migration *m = mig_of(r, i);
			mg_apply_dirty_error(r, row_of(r, i), m, NULL, err);
			rc = MG_EREFUSED;
			goto out;
		}
		if (it->state == MG_PLAN_APPLIED || it->state == MG_PLAN_MISSING)
			order[n++] = i;
	}
	if (n > 1)
		qsort_r(order, n, sizeof(size_t), cmp_down, r);
	if (o->to) {
		want = 0;
		while (want < n && mg_version_cmp(version_of(r, order[want]), o->to) > 0)
			want++;
		/* only a prefix in apply order: stop at the first one to keep */
	} else {
		want = o->steps < 0 ? 0 : (size_t)o->steps;
		if (want > n)
			want = n;
	}
	if (!want) {
		fprintf(r->out, "migrate: nothing to roll back\n");
		goto out;
	}
	/* check everything before running anything */
	st = mg_xcalloc(want, sizeof(*st));
	v = mg_xcalloc(want, sizeof(*v));
	for (size_t k = 0; k < want; k++) {
		size_t i = order[k];
		const struct mg_plan_item *it = &r->plan.items[i];
		const struct mg_migration *m = mig_of(r, i);
		const struct mg_ledger_row *row = row_of(r, i);
		if (!m) {
			struct mg_buf w = MG_BUF_INIT;
			const char *vw = mg_ledger_version_word(row->version, &w);

			rc = mg_err_set(err, MG_EREFUSED, "missing-migration-file",
					"cannot roll back %s: its file is not in %s",
					vw, r->set->dir);
			mg_err_hint(err, "restore the file, or undo it by hand and run "
					 "'migrate mark %s --rolled-back'", vw);
			mg_buf_release(&w);
			goto out;
		}
		if (!m->down.present || m->down.empty) {
			rc = mg_err_set(err, MG_EREFUSED, "irreversible-migration",
					"cannot roll back '%s': its down script is %s",
					m->label, m->down.present ? "empty" : "missing");
			mg_err_at(err, m->up.src->path, 0, 0);
			mg_err_hint(err, "write the down script, or undo it by hand and "
					 "run 'migrate mark %s --rolled-back'", row->version);
			goto out;
		}
		if (it->drifted && !o->allow_drift) {
			rc = mg_err_set(err, MG_EREFUSED, "checksum-mismatch",
					"'%s' changed since it was applied; its down may not "
					"match what ran", m->label);
			mg_err_at(err, m->up.src->path, 0, 0);
			mg_err_hint(err, "restore the applied version, or pass --allow-drift");
			goto out;
		}
		if ((rc = mg_stmts_prepare(&st[k], &m->down, r->db->ops->dialect, NULL, err)))
			goto out;
		v[k].m = m;
		v[k].st = &st[k];
		v[k].up = false;
		v[k].version = row->version;
	}
	if (o->dry_run)
		fprintf(r->out, "-- migrate down --dry-run: %zu migration%s to roll back "
			"on %s; nothing is executed\n\n", want, want == 1 ? "" : "s",
			r->db->url->redacted);
	for (size_t k = 0; k < want; k++) {
		bool notx = v[k].m->down.no_tx;
		if (o->dry_run)
			fprintf(r->out, "-- %s: down%s\n", v[k].m->label,
				notx ? " (no transaction)" : " (transaction)");
		if (!o->dry_run && mg_signals_pending()) {
			rc = mg_err_set(err, MG_EINTERRUPTED, "interrupted",
					"interrupted by %s: %zu rolled back, %zu not run",
					sig_name(mg_signals_which()), done, want - k);
			break;
		}
		rc = notx ? mg_apply_notx(r, &v[k], o->dry_run, err)
			  : mg_apply_tx(r, &v[k], o->dry_run, err);
		if (rc == MG_EINTERRUPTED) {
			interrupted(r, &v[k], notx, done, want - k - 1, false, err);
			break;
		}
		if (rc)
			break;
		if (o->dry_run) {
			fputc('\n', r->out);
			continue;
		}
		print_done(r, "reverted", &v[k]);
		done += !v[k].skipped;
		skipped += v[k].skipped;
	}
	if (!rc && !o->dry_run) {
		fmt_ms(d, sizeof(d), (long)((mg_db_clock_us() - t0) / 1000));
		if (skipped)
			fprintf(r->out, "migrate: %zu migration%s rolled back, %zu skipped "
				"(rolled back by another runner) in %s\n", done,
				done == 1 ? "" : "s", skipped, d);
		else
			fprintf(r->out, "migrate: %zu migration%s rolled back in %s\n",
				done, done == 1 ? "" : "s", d);
	}
out:
	for (size_t k = 0; st && k < want; k++)
		mg_stmts_release(&st[k]);
	free(st);
	free(v);
	free(order);
	return rc;
}

int mg_runner_mark(struct mg_runner *r, const char *version, bool applied,
		   struct mg_err *err)
{
	long i = mg_runner_find(r, version);
	const struct mg_migration *m = i >= 0 ? mig_of(r, (size_t)i) : NULL;
	const struct mg_ledger_row *row = i >= 0 ? row_of(r, (size_t)i) : NULL;
	struct mg_sqlcmd c;
	int rc;

	if (applied && !m) {
		mg_err_set(err, MG_EINPUT, "unknown-version",
			   "no migration file with version '%s' in %s", version,
			   r->set->dir);
		mg_err_hint(err, "'migrate mark --applied' records the file's checksum, "
				 "so the file must exist");
		return MG_EINPUT;
	}
	if (!applied && !row) {
		mg_err_set(err, MG_EINPUT, "not-in-ledger",
			   "version '%s' is not recorded in %s: nothing to mark",
			   version, r->ledger.display);
		return MG_EINPUT;
	}
	if ((rc = ensure_ledger(r, false, err)))
		return rc;
	if ((rc = r->db->ops->begin(r->db, err)))
		return rc;
	if (row) {
		mg_ledger_cmd_delete(&r->ledger, &c, row->version);
		rc = mg_sqlcmd_exec(r->db, &c, err);
		mg_sqlcmd_release(&c);
	}
	if (!rc && applied) {
		struct mg_stmts st;
		struct mg_err pe = MG_ERR_INIT;
		long n = -1;
		if (!mg_stmts_prepare(&st, &m->up, r->db->ops->dialect, NULL, &pe))
			n = (long)st.n;
		mg_stmts_release(&st);
		mg_err_release(&pe);
		mg_ledger_cmd_insert_applied(&r->ledger, &c, row ? row->version : m->version,
					     m->name, m->up.checksum, -1, n,
					     r->applied_by);
		rc = mg_sqlcmd_exec(r->db, &c, err);
		mg_sqlcmd_release(&c);
	}
	if (!rc)
		rc = r->db->ops->commit(r->db, err);
	if (rc) {
		r->db->ops->rollback(r->db, NULL);
		return rc;
	}
	{
		struct mg_buf w = MG_BUF_INIT;

		fprintf(r->out, "marked   %s as %s%s\n",
			m ? m->label : mg_ledger_version_word(row->version, &w),
			applied ? "applied" : "rolled back",
			row && row->dirty ? " (was dirty)" : "");
		mg_buf_release(&w);
	}
	return 0;
}
