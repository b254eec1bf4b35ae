/* ledger: the ledger table and migrate's own SQL; see ledger.h. */
#include "ledger.h"

#include <ctype.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

struct coldef {
	const char *name;
	const char *pg, *sqlite;   /* column types */
};

/* The ledger's columns, in order (docs/ledger.md). */
static const struct coldef cols[MG_LEDGER_NCOLS] = {
	{ "version", "text", "TEXT" },
	{ "name", "text", "TEXT" },
	{ "checksum", "text", "TEXT" },
	{ "applied_at", "timestamptz", "TEXT" },
	{ "execution_ms", "bigint", "INTEGER" },
	{ "dirty", "boolean", "INTEGER" },
	{ "state", "text", "TEXT" },
	{ "statements_done", "integer", "INTEGER" },
	{ "applied_by", "text", "TEXT" },
};

static bool is_pg(const struct mg_ledger *l)
{
	return l->dialect == MG_DIALECT_PG;
}

/* Placeholder n (1-based) in l's dialect. */
static void ph(const struct mg_ledger *l, struct mg_buf *b, int n)
{
	mg_buf_addf(b, is_pg(l) ? "$%d" : "?%d", n);
}

static const char *now_sql(const struct mg_ledger *l)
{
	return is_pg(l) ? "now()" : "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
}

static const char *bool_txt(const struct mg_ledger *l, bool v)
{
	if (is_pg(l))
		return v ? "true" : "false";
	return v ? "1" : "0";
}

int mg_ledger_refresh(struct mg_ledger *l, struct mg_err *err)
{
	struct mg_rows r;
	int rc;

	memset(l->has, 0, sizeof(l->has));
	l->exists = false;
	rc = l->db->ops->table_columns(l->db, l->schema, l->table, &r, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *c = mg_rows_get(&r, i, 0);
		for (int k = 0; c && k < MG_LEDGER_NCOLS; k++)
			if (!strcmp(c, cols[k].name))
				l->has[k] = true;
	}
	l->exists = r.nrows > 0;
	mg_rows_release(&r);
	if (l->exists && !l->has[MG_COL_VERSION]) {
		mg_err_set(err, MG_ECONFIG, "bad-ledger-table",
			   "table '%s' exists but has no 'version' column", l->display);
		mg_err_hint(err, "it is not a migrations ledger: set "
				 "\"migrations_table\" to another name");
		return MG_ECONFIG;
	}
	return 0;
}

int mg_ledger_init(struct mg_ledger *l, struct mg_db *db, const char *schema,
		   const char *table, struct mg_err *err)
{
	struct mg_buf b = MG_BUF_INIT;

	memset(l, 0, sizeof(*l));
	l->db = db;
	l->dialect = db->ops->dialect;
	l->table = mg_xstrdup(table);
	if (is_pg(l)) {
		if (schema && *schema)
			l->schema = mg_xstrdup(schema);
		else if (!(l->schema = db->ops->current_schema(db, err)))
			return err ? err->code : MG_EDB;
		mg_buf_add_sql_ident(&b, l->schema);
		mg_buf_addc(&b, '.');
		l->display = mg_xasprintf("%s.%s", l->schema, l->table);
	} else {
		if (schema && *schema) {
			mg_err_set(err, MG_ECONFIG, "bad-config-value",
				   "migrations_schema applies to PostgreSQL only");
			mg_err_hint(err, "remove it for SQLite databases");
			return MG_ECONFIG;
		}
		l->display = mg_xstrdup(l->table);
	}
	mg_buf_add_sql_ident(&b, l->table);
	l->qname = mg_buf_detach(&b, NULL);
	return mg_ledger_refresh(l, err);
}

void mg_ledger_release(struct mg_ledger *l)
{
	free(l->schema);
	free(l->table);
	free(l->qname);
	free(l->display);
	memset(l, 0, sizeof(*l));
}

static struct mg_sqlcmd *push_cmd(struct mg_sqlcmds *out)
{
	MG_GROW(out->v, out->cap, out->n + 1);
	memset(&out->v[out->n], 0, sizeof(out->v[0]));
	return &out->v[out->n++];
}

void mg_ledger_ensure_cmds(const struct mg_ledger *l, struct mg_sqlcmds *out)
{
	struct mg_buf b = MG_BUF_INIT;

	if (!l->exists) {
		mg_buf_addf(&b, "CREATE TABLE %s (\n", l->qname);
		for (int k = 0; k < MG_LEDGER_NCOLS; k++) {
			mg_buf_addf(&b, "    %s %s%s%s\n", cols[k].name,
				    is_pg(l) ? cols[k].pg : cols[k].sqlite,
				    k == MG_COL_VERSION ? " NOT NULL PRIMARY KEY" : "",
				    k + 1 < MG_LEDGER_NCOLS ? "," : "");
		}
		mg_buf_adds(&b, ")");
		push_cmd(out)->sql = mg_buf_detach(&b, NULL);
		return;
	}
	for (int k = 0; k < MG_LEDGER_NCOLS; k++) {
		struct mg_sqlcmd *c;
		if (l->has[k])
			continue;
		mg_buf_addf(&b, "ALTER TABLE %s ADD COLUMN %s %s", l->qname,
			    cols[k].name, is_pg(l) ? cols[k].pg : cols[k].sqlite);
		c = push_cmd(out);
		c->sql = mg_buf_detach(&b, NULL);
		c->note = "adopt an existing ledger: add a missing column";
	}
}

/* The SELECT list: existing columns, NULL for missing ones. */
static void select_list(const struct mg_ledger *l, struct mg_buf *b)
{
	for (int k = 0; k < MG_LEDGER_NCOLS; k++) {
		if (k)
			mg_buf_adds(b, ", ");
		if (!l->has[k]) {
			mg_buf_adds(b, "NULL");
		} else if (k == MG_COL_VERSION) {
			mg_buf_adds(b, is_pg(l) ? "version::text" : "CAST(version AS TEXT)");
		} else if (k == MG_COL_APPLIED_AT && is_pg(l)) {
			mg_buf_adds(b, "to_char(applied_at AT TIME ZONE 'UTC', "
				       "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
		} else if (k == MG_COL_DIRTY && is_pg(l)) {
			mg_buf_adds(b, "dirty::text");
		} else {
			mg_buf_adds(b, cols[k].name);
		}
	}
}

/* Cell (i, col) of r: copied (the row owns it) or borrowed (it points
 * into r->text, which the rows take over). */
static char *cell(const struct mg_rows *r, size_t i, size_t col, bool copy)
{
	const char *v = mg_rows_get(r, i, col);

	return v && copy ? mg_xstrdup(v) : (char *)v;
}

static void fill_row(struct mg_ledger_row *row, const struct mg_rows *r, size_t i,
		     bool copy)
{
	const char *v;

	memset(row, 0, sizeof(*row));
	row->version = cell(r, i, MG_COL_VERSION, copy);
	if (!row->version)
		row->version = copy ? mg_xstrdup("") : (char *)"";
	row->name = cell(r, i, MG_COL_NAME, copy);
	row->checksum = cell(r, i, MG_COL_CHECKSUM, copy);
	row->applied_at = cell(r, i, MG_COL_APPLIED_AT, copy);
	v = mg_rows_get(r, i, MG_COL_EXECUTION_MS);
	row->execution_ms = v ? strtol(v, NULL, 10) : -1;
	v = mg_rows_get(r, i, MG_COL_DIRTY);
	row->dirty = v && (v[0] == 't' || v[0] == '1');
	row->state = cell(r, i, MG_COL_STATE, copy);
	if (!row->state)
		row->state = copy ? mg_xstrdup(MG_STATE_APPLIED) : (char *)MG_STATE_APPLIED;
	if (strcmp(row->state, MG_STATE_APPLIED))
		row->dirty = true;
	v = mg_rows_get(r, i, MG_COL_STATEMENTS_DONE);
	row->statements_done = v ? strtol(v, NULL, 10) : 0;
	row->applied_by = cell(r, i, MG_COL_APPLIED_BY, copy);
}

int mg_ledger_read(struct mg_ledger *l, struct mg_ledger_rows *out,
		   struct mg_err *err)
{
	struct mg_buf b = MG_BUF_INIT;
	struct mg_rows r;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!l->exists)
		return 0;
	mg_buf_adds(&b, "SELECT ");
	select_list(l, &b);
	mg_buf_addf(&b, " FROM %s", l->qname);
	rc = l->db->ops->query(l->db, b.buf, 0, NULL, &r, err);
	mg_buf_release(&b);
	if (rc)
		return rc;
	out->v = mg_xcalloc(r.nrows + 1, sizeof(out->v[0]));
	out->cap = r.nrows + 1;
	/* the rows' strings stay in the result's text, which they take */
	for (size_t i = 0; i < r.nrows; i++)
		fill_row(&out->v[out->n++], &r, i, false);
	out->text = r.text;
	out->borrowed = true;
	r.text = NULL;
	mg_rows_release(&r);
	return 0;
}

int mg_ledger_get(struct mg_ledger *l, const char *version,
		  struct mg_ledger_row *row, bool *found, struct mg_err *err)
{
	struct mg_buf b = MG_BUF_INIT;
	const char *params[1] = { version };
	struct mg_rows r;
	int rc;

	*found = false;
	memset(row, 0, sizeof(*row));
	if (!l->exists)
		return 0;
	mg_buf_adds(&b, "SELECT ");
	select_list(l, &b);
	mg_buf_addf(&b, " FROM %s WHERE version = ", l->qname);
	ph(l, &b, 1);
	rc = l->db->ops->query(l->db, b.buf, 1, params, &r, err);
	mg_buf_release(&b);
	if (rc)
		return rc;
	if (r.nrows) {
		fill_row(row, &r, 0, true);
		*found = true;
	}
	mg_rows_release(&r);
	return 0;
}

void mg_ledger_row_release(struct mg_ledger_row *r)
{
	free(r->version);
	free(r->name);
	free(r->checksum);
	free(r->applied_at);
	free(r->state);
	free(r->applied_by);
	memset(r, 0, sizeof(*r));
}

const char *mg_ledger_version_word(const char *version, struct mg_buf *tmp)
{
	mg_buf_reset(tmp);
	mg_buf_add_shell_word(tmp, version);
	return tmp->buf;
}

void mg_ledger_rows_release(struct mg_ledger_rows *rows)
{
	for (size_t i = 0; !rows->borrowed && i < rows->n; i++)
		mg_ledger_row_release(&rows->v[i]);
	free(rows->text);
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

static void cmd_init(struct mg_sqlcmd *c)
{
	memset(c, 0, sizeof(*c));
}

static void param(struct mg_sqlcmd *c, const char *v)
{
	c->params[c->nparams++] = v ? mg_xstrdup(v) : NULL;
}

static void param_long(struct mg_sqlcmd *c, long v)
{
	c->params[c->nparams++] = v < 0 ? NULL : mg_xasprintf("%ld", v);
}

/* Build an INSERT of every column; applied_at is the server's now(). */
static void insert_cmd(const struct mg_ledger *l, struct mg_sqlcmd *out,
		       const char *version, const char *name, const char *checksum,
		       long execution_ms, bool dirty, const char *state,
		       long statements, const char *applied_by)
{
	struct mg_buf cl = MG_BUF_INIT, vl = MG_BUF_INIT;
	int n = 0;

	cmd_init(out);
	for (int k = 0; k < MG_LEDGER_NCOLS; k++) {
		if (k) {
			mg_buf_adds(&cl, ", ");
			mg_buf_adds(&vl, ", ");
		}
		mg_buf_adds(&cl, cols[k].name);
		if (k == MG_COL_APPLIED_AT) {
			mg_buf_adds(&vl, now_sql(l));
			continue;
		}
		ph(l, &vl, ++n);
		switch (k) {
		case MG_COL_VERSION: param(out, version); break;
		case MG_COL_NAME: param(out, name); break;
		case MG_COL_CHECKSUM: param(out, checksum); break;
		case MG_COL_EXECUTION_MS: param_long(out, execution_ms); break;
		case MG_COL_DIRTY: param(out, bool_txt(l, dirty)); break;
		case MG_COL_STATE: param(out, state); break;
		case MG_COL_STATEMENTS_DONE: param_long(out, statements); break;
		case MG_COL_APPLIED_BY: param(out, applied_by); break;
		default: break;
		}
	}
	out->sql = mg_xasprintf("INSERT INTO %s (%s) VALUES (%s)", l->qname, cl.buf, vl.buf);
	mg_buf_release(&cl);
	mg_buf_release(&vl);
}

void mg_ledger_cmd_insert_applied(const struct mg_ledger *l, struct mg_sqlcmd *out,
				  const char *version, const char *name,
				  const char *checksum, long execution_ms,
				  long statements, const char *applied_by)
{
	insert_cmd(l, out, version, name, checksum, execution_ms, false,
		   MG_STATE_APPLIED, statements, applied_by);
}

void mg_ledger_cmd_insert_running(const struct mg_ledger *l, struct mg_sqlcmd *out,
				  const char *version, const char *name,
				  const char *checksum, const char *applied_by)
{
	insert_cmd(l, out, version, name, checksum, -1, true, MG_STATE_RUNNING,
		   0, applied_by);
}

/* "UPDATE q SET <sets> WHERE version = $n" with printf-built sets. */
static void update_cmd(const struct mg_ledger *l, struct mg_sqlcmd *out,
		       const char *sets)
{
	struct mg_buf b = MG_BUF_INIT;

	mg_buf_addf(&b, "UPDATE %s SET %s WHERE version = ", l->qname, sets);
	ph(l, &b, out->nparams + 1);
	out->sql = mg_buf_detach(&b, NULL);
}

void mg_ledger_cmd_resume(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version, const char *checksum,
			  const char *applied_by)
{
	struct mg_buf s = MG_BUF_INIT;

	cmd_init(out);
	mg_buf_adds(&s, "state = ");
	ph(l, &s, 1);
	mg_buf_adds(&s, ", dirty = ");
	ph(l, &s, 2);
	mg_buf_adds(&s, ", checksum = ");
	ph(l, &s, 3);
	mg_buf_adds(&s, ", applied_by = ");
	ph(l, &s, 4);
	param(out, MG_STATE_RUNNING);
	param(out, bool_txt(l, true));
	param(out, checksum);
	param(out, applied_by);
	update_cmd(l, out, s.buf);
	param(out, version);
	mg_buf_release(&s);
}

void mg_ledger_cmd_progress(const struct mg_ledger *l, struct mg_sqlcmd *out,
			    const char *version, long n)
{
	struct mg_buf s = MG_BUF_INIT;

	cmd_init(out);
	mg_buf_adds(&s, "statements_done = ");
	ph(l, &s, 1);
	param_long(out, n);
	update_cmd(l, out, s.buf);
	param(out, version);
	mg_buf_release(&s);
}

void mg_ledger_cmd_finish(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version, const char *checksum,
			  long execution_ms, long statements)
{
	struct mg_buf s = MG_BUF_INIT;

	cmd_init(out);
	mg_buf_adds(&s, "state = ");
	ph(l, &s, 1);
	mg_buf_adds(&s, ", dirty = ");
	ph(l, &s, 2);
	mg_buf_adds(&s, ", checksum = ");
	ph(l, &s, 3);
	mg_buf_adds(&s, ", execution_ms = ");
	ph(l, &s, 4);
	mg_buf_adds(&s, ", statements_done = ");
	ph(l, &s, 5);
	mg_buf_addf(&s, ", applied_at = %s", now_sql(l));
	param(out, MG_STATE_APPLIED);
	param(out, bool_txt(l, false));
	param(out, checksum);
	param_long(out, execution_ms);
	param_long(out, statements);
	update_cmd(l, out, s.buf);
	param(out, version);
	mg_buf_release(&s);
}

void mg_ledger_cmd_reverting(const struct mg_ledger *l, struct mg_sqlcmd *out,
			     const char *version)
{
	struct mg_buf s = MG_BUF_INIT;

	cmd_init(out);
	mg_buf_adds(&s, "state = ");
	ph(l, &s, 1);
	mg_buf_adds(&s, ", dirty = ");
	ph(l, &s, 2);
	mg_buf_adds(&s, ", statements_done = ");
	ph(l, &s, 3);
	param(out, MG_STATE_REVERTING);
	param(out, bool_txt(l, true));
	param_long(out, 0);
	update_cmd(l, out, s.buf);
	param(out, version);
	mg_buf_release(&s);
}

void mg_ledger_cmd_delete(const struct mg_ledger *l, struct mg_sqlcmd *out,
			  const char *version)
{
	struct mg_buf b = MG_BUF_INIT;

	cmd_init(out);
	mg_buf_addf(&b, "DELETE FROM %s WHERE version = ", l->qname);
	ph(l, &b, 1);
	out->sql = mg_buf_detach(&b, NULL);
	param(out, version);
}

void mg_ledger_cmd_timeouts(const struct mg_ledger *l, struct mg_sqlcmd *out,
			    long lock_ms, long stmt_ms, bool local)
{
	cmd_init(out);
	if (!is_pg(l))
		return;
	out->sql = mg_xstrdup("SELECT pg_catalog.set_config('lock_timeout', $1, $3), "
			      "pg_catalog.set_config('statement_timeout', $2, $3)");
	out->params[0] = mg_xasprintf("%ldms", lock_ms);
	out->params[1] = mg_xasprintf("%ldms", stmt_ms);
	out->params[2] = mg_xstrdup(local ? "true" : "false");
	out->nparams = 3;
}

void mg_ledger_cmd_reset_timeouts(const struct mg_ledger *l, struct mg_sqlcmd *out)
{
	cmd_init(out);
	if (!is_pg(l))
		return;
	out->sql = mg_xstrdup("RESET lock_timeout; RESET statement_timeout");
}

char *mg_ledger_applied_by(void)
{
	char host[256] = "";
	const char *user = getenv("USER");
	struct passwd *pw = getpwuid(geteuid());

	if (pw && pw->pw_name)
		user = pw->pw_name;
	if (gethostname(host, sizeof(host) - 1) != 0)
		snprintf(host, sizeof(host), "unknown-host");
	return mg_xasprintf("%s@%s", user ? user : "unknown", host);
}

void mg_sqlcmd_release(struct mg_sqlcmd *c)
{
	free(c->sql);
	for (int i = 0; i < c->nparams; i++)
		free(c->params[i]);
	memset(c, 0, sizeof(*c));
}

void mg_sqlcmds_release(struct mg_sqlcmds *c)
{
	for (size_t i = 0; i < c->n; i++)
		mg_sqlcmd_release(&c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int mg_sqlcmd_exec(struct mg_db *db, const struct mg_sqlcmd *c, struct mg_err *err)
{
	if (!c->sql)
		return 0;
	if (!c->nparams)
		return db->ops->exec(db, c->sql, err);
	return db->ops->query(db, c->sql, c->nparams, (const char *const *)c->params,
			      NULL, err);
}

int mg_sqlcmd_exec_commit(struct mg_db *db, const struct mg_sqlcmd *c, int *stage,
			  struct mg_err *err)
{
	int rc;

	*stage = 0;
	if (c->sql && c->nparams && db->ops->query_commit)
		return db->ops->query_commit(db, c->sql, c->nparams,
					     (const char *const *)c->params, stage, err);
	if ((rc = mg_sqlcmd_exec(db, c, err)))
		return rc;
	*stage = 1;
	return db->ops->commit(db, err);
}

void mg_sqlcmd_print(FILE *f, const struct mg_sqlcmd *c)
{
	struct mg_buf b = MG_BUF_INIT;
	const char *s = c->sql;

	if (!s)
		return;
	if (c->note)
		fprintf(f, "-- %s\n", c->note);
	while (*s) {
		if (*s == '"' || *s == '\'') {
			char q = *s;
			const char *e = s + 1;
			while (*e && !(*e == q && e[1] != q)) {
				if (*e == q)
					e++;
				e++;
			}
			if (*e)
				e++;
			mg_buf_add(&b, s, (size_t)(e - s));
			s = e;
		} else if ((*s == '$' || *s == '?') && isdigit((unsigned char)s[1])) {
			int n = (int)strtol(s + 1, (char **)&s, 10);
			if (n >= 1 && n <= c->nparams && c->params[n - 1])
				mg_buf_add_sql_literal(&b, c->params[n - 1]);
			else
				mg_buf_adds(&b, "NULL");
		} else {
			mg_buf_addc(&b, *s++);
		}
	}
	fprintf(f, "%s;\n", b.buf);
	mg_buf_release(&b);
}
