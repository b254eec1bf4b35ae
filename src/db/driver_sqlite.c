/*
 * driver_sqlite: the SQLite driver (see driver.h).
 *
 * Locking: there is no runner-wide lock. Each migration runs in
 * BEGIN IMMEDIATE, which takes the database's write lock; a busy handler
 * waits for it up to lock_wait_ms with backoff, telling the user once which
 * process holds it (from /proc/locks, best effort). The runner re-reads the
 * ledger inside that transaction, so a runner that waited finds the
 * migration applied and skips it.
 *
 * Journal: a connection that writes (not opts.readonly) and finds the
 * database in rollback-journal mode DELETE switches itself to TRUNCATE
 * (per connection; SQLite stores only WAL in the file): the -journal file is
 * kept and emptied at each commit instead of created and deleted, and under
 * synchronous=FULL the emptying is synced, which DELETE mode does for the
 * unlink only under EXTRA. The user's synchronous setting is kept. Any
 * other mode (WAL, MEMORY, OFF, PERSIST, TRUNCATE) is left alone, and so is
 * a failure to switch. Close switches back to DELETE, which removes the
 * empty -journal, unless a migration changed the mode meanwhile.
 * docs/internals/drivers.md has the measurements.
 *
 * PRAGMA foreign_keys and every other PRAGMA keep the user's settings.
 */
#include "driver.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

#define NCACHE 16

struct cached {
	char *sql;
	sqlite3_stmt *st;
};

struct sq {
	struct mg_db base;       /* first */
	sqlite3 *h;
	char *path;              /* owned; the file, for lock diagnostics */
	struct mg_db_opts opts;
	long long wait_start;    /* busy handler: when the wait began */
	bool told;               /* busy handler: notice printed */
	struct cached cache[NCACHE];
	size_t ncache;
	bool jtruncate;          /* switched journal_mode DELETE -> TRUNCATE
				    at open; switched back at close */
};

static struct sq *SQ(struct mg_db *db)
{
	return (struct sq *)db;
}

/* Byte offset -> 1-based character position. */
static long char_pos(const char *s, int byte_off)
{
	long pos = 1;

	if (!s || byte_off < 0)
		return 0;
	for (int i = 0; i < byte_off && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			pos++;
	return pos;
}

static int fail(struct sq *q, int rc, const char *sql, struct mg_err *err)
{
	int ext = sqlite3_extended_errcode(q->h);
	const char *msg = sqlite3_errmsg(q->h);
	struct mg_db_last *l = &q->base.last;

	memset(l, 0, sizeof(*l));
	l->code = ext ? ext : rc;
	if (sql)
		l->position = char_pos(sql, sqlite3_error_offset(q->h));
	l->canceled = (rc & 0xff) == SQLITE_INTERRUPT;
	l->lock_timeout = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
	if (l->lock_timeout) {
		mg_err_set(err, MG_EDB, "lock-timeout", "%s", msg);
		mg_err_hint(err, "another process held the database's write lock "
				 "for longer than lock_wait (%lds); raise lock_wait or "
				 "stop the other writer", q->opts.lock_wait_ms / 1000);
	} else if (l->canceled) {
		mg_err_set(err, MG_EINTERRUPTED, "interrupted", "statement interrupted");
	} else {
		mg_err_set(err, MG_EDB, "sql-error", "%s", msg);
	}
	mg_err_detail(err, "SQLite result code %d (%s)", l->code,
		      sqlite3_errstr(l->code));
	return err ? err->code : MG_EDB;
}

/* The process (other than us) holding a POSIX lock on path, -wal or -shm:
 * "pid N (cmdline)" into out, or "" when unknown. Linux only. */
static void lock_holder(const char *path, char *out, size_t n)
{
	static const char *const sufs[] = { "", "-shm", "-wal" };
	unsigned long inodes[3] = { 0, 0, 0 };
	char line[512], fn[4096];
	FILE *f;
	long pid = 0;

	out[0] = '\0';
	for (int i = 0; i < 3; i++) {
		struct stat st;
		snprintf(fn, sizeof(fn), "%s%s", path, sufs[i]);
		if (stat(fn, &st) == 0)
			inodes[i] = (unsigned long)st.st_ino;
	}
	if (!(f = fopen("/proc/locks", "r")))
		return;
	while (!pid && fgets(line, sizeof(line), f)) {
		char type[32], adv[32], rw[32], dev[64];
		long p;
		unsigned long ino;
		char *s = strchr(line, ':');
		if (!s)
			continue;
		s++;
		if (strstr(s, "->"))
			continue; /* a waiter, not a holder */
		if (sscanf(s, " %31s %31s %31s %ld %63[^ ]", type, adv, rw, &p, dev) != 5)
			continue;
		{
			char *c = strrchr(dev, ':');
			if (!c)
				continue;
			ino = strtoul(c + 1, NULL, 10);
		}
		if (p == (long)getpid() || p <= 0)
			continue;
		for (int i = 0; i < 3; i++)
			if (inodes[i] && inodes[i] == ino)
				pid = p;
	}
	fclose(f);
	if (pid) {
		char cmd[160] = "";
		size_t got = 0;
		snprintf(fn, sizeof(fn), "/proc/%ld/cmdline", pid);
		if ((f = fopen(fn, "r"))) {
			got = fread(cmd, 1, sizeof(cmd) - 1, f);
			fclose(f);
		}
		cmd[got] = '\0';
		for (size_t i = 0; i + 1 < got; i++)
			if (!cmd[i])
				cmd[i] = ' ';
		snprintf(out, n, "pid %ld%s%s%s", pid, got ? " (" : "", cmd,
			 got ? ")" : "");
	}
}

static int busy(void *arg, int count)
{
	struct sq *q = arg;
	long long now = mg_db_clock_us();
	long ms;

	if (count == 0) {
		q->wait_start = now;
		q->told = false;
	}
	if ((now - q->wait_start) / 1000 >= q->opts.lock_wait_ms)
		return 0;
	if (q->opts.stop && q->opts.stop())
		return 0; /* SQLITE_BUSY; the caller sees the signal */
	if (!q->told && now - q->wait_start >= 200000 && q->opts.notice) {
		char who[256];
		lock_holder(q->path, who, sizeof(who));
		fprintf(q->opts.notice,
			"migrate: waiting for the database write lock held by %s "
			"(up to %lds, lock_wait)\n", who[0] ? who : "another process",
			q->opts.lock_wait_ms / 1000);
		fflush(q->opts.notice);
		q->told = true;
	}
	ms = count < 6 ? 1L << count : 50;
	mg_db_sleep_ms(ms);
	return 1;
}

/* PRAGMA main.journal_mode (set: the new mode, or NULL to read it): true
 * when SQLite answered with want. Any error is false. */
static bool journal_mode_is(sqlite3 *h, const char *set, const char *want)
{
	char sql[64];
	sqlite3_stmt *st = NULL;
	bool is = false;

	snprintf(sql, sizeof(sql), "PRAGMA main.journal_mode%s%s",
		 set ? " = " : "", set ? set : "");
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK || !st) {
		sqlite3_finalize(st);
		return false;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		is = m && !sqlite3_stricmp(m, want);
	}
	sqlite3_finalize(st);
	return is;
}

/* At open, for a connection that writes: DELETE -> TRUNCATE (see the top
 * of the file). A database that is read-only for us gains nothing. */
static void journal_truncate(struct sq *q)
{
	if (sqlite3_db_readonly(q->h, "main") != 0)
		return;
	if (!journal_mode_is(q->h, NULL, "delete"))
		return;
	q->jtruncate = journal_mode_is(q->h, "TRUNCATE", "truncate");
}

/* At close: back to DELETE, which removes the empty -journal, unless a
 * migration changed the mode (to WAL, say). Best effort, errors ignored.
 * A transaction still open is rolled back first, as closing would (the
 * mode cannot change inside one). SQLite deletes the journal only under
 * the database's RESERVED lock: while another writer holds it, the journal
 * stays for that writer. A hot journal (this connection's after an I/O
 * error such as a full disk, or a dead writer's) is rolled back before it
 * is deleted: SQLite's own recovery on taking the read lock. */
static void journal_restore(struct sq *q)
{
	if (!q->jtruncate)
		return;
	q->jtruncate = false;
	if (!sqlite3_get_autocommit(q->h))
		sqlite3_exec(q->h, "ROLLBACK", NULL, NULL, NULL);
	if (journal_mode_is(q->h, NULL, "truncate"))
		(void)journal_mode_is(q->h, "DELETE", "delete");
}

static void sq_close(struct mg_db *db)
{
	struct sq *q = SQ(db);

	for (size_t i = 0; i < q->ncache; i++) {
		sqlite3_finalize(q->cache[i].st);
		free(q->cache[i].sql);
	}
	journal_restore(q);
	sqlite3_close_v2(q->h);
	free(q->path);
	free(q);
}

void mg_sqlite_init(void)
{
	/* before sqlite3_initialize, or SQLITE_MISUSE: harmless, the
	 * statistics then stay on */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct mg_db **out, const struct mg_dburl *url,
		   const struct mg_db_opts *opts, struct mg_err *err)
{
	struct sq *q = mg_xcalloc(1, sizeof(*q));
	/* opened with NOMUTEX: one thread uses the connection at a time
	 * (status opens and reads it on the prefetch thread, which the main
	 * thread joins), and sqlite3_interrupt (cancel) takes no mutex */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	const char *path = url->path;
	int rc;

	q->base.ops = &mg_driver_sqlite;
	q->base.url = url;
	if (opts)
		q->opts = *opts;
	if (q->opts.readonly && strcmp(path, ":memory:")) {
		struct stat st;
		/* A missing file reads as empty. An existing one is opened
		 * read-write but never created: a reader must be able to roll
		 * back the hot journal a crashed writer left (SQLite does that
		 * on the first read); migrate itself writes nothing. */
		if (stat(path, &st) != 0 && errno == ENOENT)
			path = ":memory:";
		else
			flags = SQLITE_OPEN_READWRITE;
	}
	q->path = mg_xstrdup(path);
	rc = sqlite3_open_v2(path, &q->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK && q->opts.readonly && flags == SQLITE_OPEN_READWRITE) {
		/* no write permission: plain read-only */
		sqlite3_close_v2(q->h);
		q->h = NULL;
		flags = SQLITE_OPEN_READONLY;
		rc = sqlite3_open_v2(path, &q->h, flags | SQLITE_OPEN_NOMUTEX, NULL);
	}
	if (rc != SQLITE_OK) {
		mg_err_set(err, MG_EDB, "cannot-connect",
			   "cannot open SQLite database '%s': %s", url->path,
			   q->h ? sqlite3_errmsg(q->h) : sqlite3_errstr(rc));
		sq_close(&q->base);
		return MG_EDB;
	}
	sqlite3_extended_result_codes(q->h, 1);
	sqlite3_busy_handler(q->h, busy, q);
	/* Opening is lazy: read the header now so a file that is not a
	 * database is reported as a connection error. */
	rc = sqlite3_exec(q->h, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		mg_err_set(err, MG_EDB, "cannot-connect",
			   "cannot open SQLite database '%s': %s", url->path,
			   sqlite3_errmsg(q->h));
		sq_close(&q->base);
		return MG_EDB;
	}
	if (!q->opts.readonly)
		journal_truncate(q);
	*out = &q->base;
	return 0;
}

/* Step st to completion, collecting rows when out is not NULL. */
static int run_stmt(struct sq *q, sqlite3_stmt *st, const char *sql,
		    struct mg_rows *out, struct mg_err *err)
{
	struct mg_rows_builder b = { 0 };
	int rc;

	if (out) {
		memset(out, 0, sizeof(*out));
		out->ncols = (size_t)sqlite3_column_count(st);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!out || !out->ncols)
			continue;
		for (size_t c = 0; c < out->ncols; c++) {
			const unsigned char *t = sqlite3_column_text(st, (int)c);
			mg_rows_builder_add(&b, (const char *)t,
					    t ? (size_t)sqlite3_column_bytes(st, (int)c) : 0);
		}
		out->nrows++;
	}
	if (rc != SQLITE_DONE) {
		fail(q, rc, sql, err);
		sqlite3_reset(st);
		mg_rows_builder_release(&b);
		if (out)
			mg_rows_release(out);
		return err ? err->code : MG_EDB;
	}
	if (out)
		mg_rows_builder_finish(&b, out);
	return 0;
}

static int sq_exec(struct mg_db *db, const char *sql, struct mg_err *err)
{
	struct sq *q = SQ(db);
	const char *p = sql;

	memset(&db->last, 0, sizeof(db->last));
	while (p && *p) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(q->h, p, -1, &st, &tail);
		if (rc != SQLITE_OK) {
			fail(q, rc, sql, err);
			if (db->last.position && p != sql)
				db->last.position += char_pos(sql, (int)(p - sql)) - 1;
			return err ? err->code : MG_EDB;
		}
		if (!st)
			break; /* only comments or blanks left */
		rc = run_stmt(q, st, sql, NULL, err);
		sqlite3_finalize(st);
		if (rc)
			return rc;
		p = tail;
	}
	return 0;
}

static sqlite3_stmt *prepared(struct sq *q, const char *sql, struct mg_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	for (size_t i = 0; i < q->ncache; i++)
		if (!strcmp(q->cache[i].sql, sql)) {
			sqlite3_reset(q->cache[i].st);
			sqlite3_clear_bindings(q->cache[i].st);
			return q->cache[i].st;
		}
	rc = sqlite3_prepare_v2(q->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK || !st) {
		fail(q, rc ? rc : SQLITE_ERROR, sql, err);
		return NULL;
	}
	if (q->ncache == NCACHE) {
		sqlite3_finalize(q->cache[0].st);
		free(q->cache[0].sql);
		memmove(q->cache, q->cache + 1, (NCACHE - 1) * sizeof(q->cache[0]));
		q->ncache--;
	}
	q->cache[q->ncache].sql = mg_xstrdup(sql);
	q->cache[q->ncache].st = st;
	q->ncache++;
	return st;
}

static int sq_query(struct mg_db *db, const char *sql, int nparams,
		    const char *const *params, struct mg_rows *out,
		    struct mg_err *err)
{
	struct sq *q = SQ(db);
	sqlite3_stmt *st;
	int rc;

	memset(&db->last, 0, sizeof(db->last));
	if (!(st = prepared(q, sql, err)))
		return err ? err->code : MG_EDB;
	for (int i = 0; i < nparams; i++) {
		if (params[i])
			rc = sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(st, i + 1);
		if (rc != SQLITE_OK)
			return fail(q, rc, sql, err);
	}
	rc = run_stmt(q, st, sql, out, err);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int sq_begin(struct mg_db *db, struct mg_err *err)
{
	int rc = sq_exec(db, "BEGIN IMMEDIATE", err);

	if (!rc)
		db->in_tx = true;
	return rc;
}

static int sq_commit(struct mg_db *db, struct mg_err *err)
{
	int rc = sq_exec(db, "COMMIT", err);

	if (!rc || sqlite3_get_autocommit(SQ(db)->h))
		db->in_tx = false;
	return rc;
}

static int sq_rollback(struct mg_db *db, struct mg_err *err)
{
	int rc = 0;

	/* A failed statement may already have rolled the transaction back
	 * (e.g. SQLITE_FULL, or an interrupt during COMMIT). */
	if (!sqlite3_get_autocommit(SQ(db)->h))
		rc = sq_exec(db, "ROLLBACK", err);
	db->in_tx = false;
	return rc;
}

static int sq_lock(struct mg_db *db, const char *key, struct mg_err *err)
{
	(void)db;
	(void)key;
	(void)err;
	return 0;
}

static int sq_unlock(struct mg_db *db, struct mg_err *err)
{
	(void)db;
	(void)err;
	return 0;
}

static void sq_cancel(struct mg_db *db)
{
	sqlite3_interrupt(SQ(db)->h);
}

static char *sq_current_schema(struct mg_db *db, struct mg_err *err)
{
	(void)db;
	(void)err;
	return NULL;
}

static int sq_table_columns(struct mg_db *db, const char *schema,
			    const char *table, struct mg_rows *out,
			    struct mg_err *err)
{
	const char *p[1] = { table };

	(void)schema;
	return sq_query(db, "SELECT name FROM pragma_table_info(?1)", 1, p, out, err);
}

static int sq_backup(struct mg_db *db, const char *path, struct mg_err *err)
{
	struct sq *q = SQ(db);
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	int rc;

	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		mg_err_set(err, MG_EIO, "backup-failed", "cannot create backup '%s': %s",
			   path, dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close_v2(dst);
		return MG_EIO;
	}
	b = sqlite3_backup_init(dst, "main", q->h, "main");
	if (!b) {
		mg_err_set(err, MG_EIO, "backup-failed", "cannot back up to '%s': %s",
			   path, sqlite3_errmsg(dst));
		sqlite3_close_v2(dst);
		return MG_EIO;
	}
	/* One step copies every page under one read transaction: a
	 * consistent snapshot, in rollback-journal and WAL mode alike. */
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			mg_db_sleep_ms(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		mg_err_set(err, MG_EIO, "backup-failed", "backup to '%s' failed: %s",
			   path, sqlite3_errstr(rc));
		sqlite3_close_v2(dst);
		return MG_EIO;
	}
	rc = sqlite3_close_v2(dst);
	if (rc != SQLITE_OK)
		return mg_err_set(err, MG_EIO, "backup-failed",
				  "cannot close backup '%s': %s", path, sqlite3_errstr(rc));
	return 0;
}

const struct mg_db_ops mg_driver_sqlite = {
	.name = "sqlite",
	.dialect = MG_DIALECT_SQLITE,
	.transactional_ddl = true,
	.begin_sql = "BEGIN IMMEDIATE",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.query = sq_query,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.lock = sq_lock,
	.unlock = sq_unlock,
	.cancel = sq_cancel,
	.current_schema = sq_current_schema,
	.table_columns = sq_table_columns,
	.index_state = NULL,
	.backup = sq_backup,
};
