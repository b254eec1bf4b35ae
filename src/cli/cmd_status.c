/* cmd_status: `migrate status` (docs/commands/migrate-status.md). One ledger
 * query, no per-migration queries, no lock, nothing written. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../run/runner.h"
#include "cmd.h"
#include "common.h"

enum { O_FORMAT = 1, O_CHECK, O_NO_CACHE };

static const struct mg_opt opts[] = {
	{ "format", O_FORMAT, true },
	{ "check", O_CHECK, false },
	{ "no-cache", O_NO_CACHE, false },
	{ NULL, 0, false }
};

static const char *name_of(const struct mg_migration *m,
			   const struct mg_ledger_row *row)
{
	if (m)
		return m->name;
	return row && row->name ? row->name : "";
}

/* s (at most max bytes) then blanks up to width: printf's %-W.Ms */
static void pad(struct mg_buf *b, const char *s, size_t width, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		n = max;
	mg_buf_add(b, s, n);
	for (; n < width; n++)
		mg_buf_addc(b, ' ');
}

static void print_text(const struct mg_ctx *ctx, const struct mg_runner *r)
{
	const struct mg_plan *p = &r->plan;
	struct mg_buf b = MG_BUF_INIT;
	size_t w = 4;

	for (size_t i = 0; i < p->n; i++) {
		const struct mg_plan_item *it = &p->items[i];
		size_t l = strlen(name_of(it->mig >= 0 ? &ctx->set.items[it->mig] : NULL,
					   it->row >= 0 ? &r->rows.v[it->row] : NULL));
		if (l > w)
			w = l;
	}
	if (w > 40)
		w = 40;
	mg_buf_addf(&b, "migrations %s (%s, %zu)\n", ctx->set.dir,
		    mg_layout_name(ctx->set.layout), ctx->set.n);
	mg_buf_addf(&b, "database   %s, ledger %s%s\n\n", ctx->url.redacted,
		    r->ledger.display, r->ledger.exists ? "" : " (not created yet)");
	for (size_t i = 0; i < p->n; i++) {
		const struct mg_plan_item *it = &p->items[i];
		const struct mg_migration *m = it->mig >= 0 ? &ctx->set.items[it->mig] : NULL;
		const struct mg_ledger_row *row = it->row >= 0 ? &r->rows.v[it->row] : NULL;
		struct mg_buf vw = MG_BUF_INIT;
		/* a version with no file comes from the ledger: any text */
		const char *v = m ? m->version : mg_ledger_version_word(row->version, &vw);

		/* "  %-8s %-14s  %-*.*s" without printf: 10,000 rows */
		mg_buf_adds(&b, "  ");
		pad(&b, mg_plan_state_name(it->state), 8, (size_t)-1);
		mg_buf_addc(&b, ' ');
		pad(&b, v, 14, (size_t)-1);
		mg_buf_release(&vw);
		mg_buf_adds(&b, "  ");
		pad(&b, name_of(m, row), w, w);
		if (row && row->applied_at) {
			mg_buf_adds(&b, "  ");
			mg_buf_adds(&b, row->applied_at);
		}
		if (it->drifted)
			mg_buf_adds(&b, "  DRIFTED: the file changed since it was applied");
		if (it->out_of_order)
			mg_buf_adds(&b, "  OUT OF ORDER: older than the newest applied");
		if (it->state == MG_PLAN_MISSING)
			mg_buf_adds(&b, "  MISSING: no file");
		if (it->state == MG_PLAN_DIRTY)
			mg_buf_addf(&b, "  DIRTY: %s, %ld statement%s done%s", row->state,
				    row->statements_done,
				    row->statements_done == 1 ? "" : "s",
				    m ? "" : ", no file");
		/* trim trailing blanks of the padded name */
		while (b.len && b.buf[b.len - 1] == ' ')
			b.buf[--b.len] = '\0';
		mg_buf_addc(&b, '\n');
	}
	if (p->n)
		mg_buf_addc(&b, '\n');
	mg_buf_addf(&b, "%zu applied, %zu pending", p->napplied, p->npending);
	if (p->ndirty)
		mg_buf_addf(&b, ", %zu dirty", p->ndirty);
	if (p->ndrifted)
		mg_buf_addf(&b, ", %zu drifted", p->ndrifted);
	if (p->nmissing)
		mg_buf_addf(&b, ", %zu missing", p->nmissing);
	if (p->nout_of_order)
		mg_buf_addf(&b, ", %zu out of order", p->nout_of_order);
	mg_buf_addc(&b, '\n');
	fwrite(b.buf, 1, b.len, stdout);
	mg_buf_release(&b);
}

/* before, v in decimal, after: "%s%ld%s" without printf (10,000 rows) */
static void add_long(struct mg_buf *b, const char *before, long v, const char *after)
{
	char d[24];
	size_t i = sizeof(d);
	unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;

	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--i] = '-';
	mg_buf_adds(b, before);
	mg_buf_add(b, d + i, sizeof(d) - i);
	mg_buf_adds(b, after);
}

static void jstr(struct mg_buf *b, const char *key, const char *v)
{
	mg_buf_addc(b, '"');
	mg_buf_adds(b, key);
	mg_buf_adds(b, "\": ");
	if (!v) {
		mg_buf_adds(b, "null");
		return;
	}
	mg_buf_addc(b, '"');
	mg_buf_add_json_str(b, v);
	mg_buf_addc(b, '"');
}

static void print_json(const struct mg_ctx *ctx, const struct mg_runner *r)
{
	const struct mg_plan *p = &r->plan;
	struct mg_buf b = MG_BUF_INIT;

	mg_buf_adds(&b, "{\n  \"version\": 1,\n  ");
	jstr(&b, "dialect", mg_dialect_name(ctx->dialect));
	mg_buf_adds(&b, ",\n  ");
	jstr(&b, "database", ctx->url.redacted);
	mg_buf_adds(&b, ",\n  ");
	jstr(&b, "dir", ctx->set.dir);
	mg_buf_adds(&b, ",\n  ");
	jstr(&b, "layout", mg_layout_name(ctx->set.layout));
	mg_buf_adds(&b, ",\n  ");
	jstr(&b, "ledger", r->ledger.display);
	mg_buf_addf(&b, ",\n  \"ledger_exists\": %s,\n", r->ledger.exists ? "true" : "false");
	mg_buf_addf(&b, "  \"summary\": {\"applied\": %zu, \"pending\": %zu, "
		    "\"dirty\": %zu, \"drifted\": %zu, \"missing\": %zu, "
		    "\"out_of_order\": %zu},\n  \"migrations\": [",
		    p->napplied, p->npending, p->ndirty, p->ndrifted, p->nmissing,
		    p->nout_of_order);
	for (size_t i = 0; i < p->n; i++) {
		const struct mg_plan_item *it = &p->items[i];
		const struct mg_migration *m = it->mig >= 0 ? &ctx->set.items[it->mig] : NULL;
		const struct mg_ledger_row *row = it->row >= 0 ? &r->rows.v[it->row] : NULL;

		mg_buf_adds(&b, i ? ",\n    {" : "\n    {");
		jstr(&b, "version", m ? m->version : row->version);
		mg_buf_adds(&b, ", ");
		jstr(&b, "name", name_of(m, row));
		mg_buf_adds(&b, ", ");
		jstr(&b, "state", mg_plan_state_name(it->state));
		mg_buf_adds(&b, ", ");
		jstr(&b, "file", m && m->up.src ? m->up.src->path : NULL);
		mg_buf_adds(&b, ", ");
		jstr(&b, "description", m ? m->description : NULL);
		mg_buf_adds(&b, m && m->up.no_tx ? ", \"no_transaction\": true"
					       : ", \"no_transaction\": false");
		mg_buf_adds(&b, ", ");
		jstr(&b, "checksum", m ? m->up.checksum : NULL);
		mg_buf_adds(&b, ", ");
		jstr(&b, "applied_checksum", row ? row->checksum : NULL);
		mg_buf_adds(&b, it->drifted ? ", \"drifted\": true" : ", \"drifted\": false");
		mg_buf_adds(&b, it->out_of_order ? ", \"out_of_order\": true, "
						 : ", \"out_of_order\": false, ");
		jstr(&b, "applied_at", row ? row->applied_at : NULL);
		if (row && row->execution_ms >= 0)
			add_long(&b, ", \"execution_ms\": ", row->execution_ms, "");
		else
			mg_buf_adds(&b, ", \"execution_ms\": null");
		mg_buf_adds(&b, ", ");
		jstr(&b, "applied_by", row ? row->applied_by : NULL);
		mg_buf_adds(&b, ", ");
		jstr(&b, "ledger_state", row ? row->state : NULL);
		if (row)
			add_long(&b, ", \"statements_done\": ", row->statements_done, "}");
		else
			mg_buf_adds(&b, ", \"statements_done\": null}");
	}
	mg_buf_adds(&b, p->n ? "\n  ]\n}\n" : "]\n}\n");
	fwrite(b.buf, 1, b.len, stdout);
	mg_buf_release(&b);
}

static void *close_db(void *db)
{
	mg_db_close(db);
	return NULL;
}

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;
	struct mg_runner r;
	const char *format;
	bool check, closing;
	pthread_t closer;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	format = mg_cli_get(&cli, O_FORMAT, NULL);
	check = mg_cli_has(&cli, O_CHECK);
	if (format && strcmp(format, "text") && strcmp(format, "json")) {
		mg_err_set(&err, MG_EUSAGE, "bad-option",
			   "unknown format '%s'", format);
		mg_err_hint(&err, "use --format text or --format json");
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	if (cli.npos) {
		mg_err_set(&err, MG_EUSAGE, "bad-argument",
			   "unexpected argument '%s'", cli.pos[0]);
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	/* the ledger is read while the set loads; unchanged files are not
	 * read at all when the checksum cache knows them */
	if (mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_DB | MG_CTX_READONLY |
			MG_CTX_PREFETCH |
			(mg_cli_has(&cli, O_NO_CACHE) ? 0 : MG_CTX_SUMCACHE), &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	/* status sends no query after the ledger read: the connection is
	 * closed on a thread of its own while the plan is built and printed
	 * (SQLite's close frees the schema it parsed, 14 M instructions for
	 * 10,000 tables); joined before anything is released or returned */
	closing = pthread_create(&closer, NULL, close_db, ctx.db) == 0;
	if (closing)
		ctx.db = NULL;
	rc = mg_runner_open_prefetched(&r, &ctx.cfg, &ctx.set, ctx.db,
				       ctx.prefetch, &err);
	if (rc) {
		if (closing)
			pthread_join(closer, NULL);
		mg_runner_close(&r);
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	if (format && !strcmp(format, "json"))
		print_json(&ctx, &r);
	else
		print_text(&ctx, &r);
	rc = 0;
	if (check && (r.plan.npending || r.plan.ndirty || r.plan.ndrifted ||
		      r.plan.nmissing))
		rc = 1;
	if (closing)
		pthread_join(closer, NULL);
	if (MG_FREE_AT_EXIT) {
		mg_runner_close(&r);
		mg_ctx_release(&ctx);
		mg_cli_release(&cli);
		return rc;
	}
	/* the process ends right after this: the set, the ledger rows and
	 * the plan go with it (MG_FREE_AT_EXIT, common.h); the connection is
	 * always closed (PostgreSQL gets its Terminate), by the thread above
	 * or here when no thread could be started (status installs no
	 * signal handlers: nothing of mg_runner_close is needed) */
	mg_db_close(ctx.db); /* when no thread could close it */
	ctx.db = NULL;
	return rc;
}

const struct mg_cmd mg_cmd_status = {
	"status", "show applied, pending, dirty, drifted and missing migrations",
	"usage: migrate status [--format text|json] [--check] [--no-cache]\n"
	"\n"
	"List every migration with its state: applied (with applied_at),\n"
	"pending, dirty (a no-transaction migration that failed or was\n"
	"interrupted), missing (recorded but the file is gone), and the flags\n"
	"drifted (the file changed since it was applied) and out of order\n"
	"(pending but older than the newest applied). Reads the ledger once;\n"
	"takes no lock and writes nothing.\n"
	"\n"
	"options:\n"
	"  --format text|json   output format (JSON: docs/commands/migrate-status.md)\n"
	"  --check              exit 1 when anything is pending, dirty, drifted or\n"
	"                       missing\n"
	"  --no-cache           read every file; do not use or update the checksum\n"
	"                       cache (also MIGRATE_NO_CACHE=1)\n"
	"\n" MG_CLI_COMMON_HELP
	"\nexit codes: 0 ok; 1 --check found something; 2 usage, configuration\n"
	"or input error; 3 database error (docs/exit-codes.md)\n",
	run
};
