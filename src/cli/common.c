/* common: option parsing and setup shared by the commands; see common.h. */
#include "common.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../core/fs.h"
#include "../core/xalloc.h"
#include "../migset/sumcache.h"
#include "../run/signals.h"

static const struct mg_opt *find_opt(const struct mg_opt *opts, const char *name,
				     size_t n)
{
	for (size_t i = 0; opts && opts[i].name; i++)
		if (strlen(opts[i].name) == n && !strncmp(opts[i].name, name, n))
			return &opts[i];
	return NULL;
}

static int unknown_option(const char *arg, size_t n, const struct mg_opt *opts,
			  struct mg_err *err)
{
	const char **names;
	size_t k = 0, nopts = 0;
	char *name = mg_xstrndup(arg, n);
	const char *near;

	while (opts && opts[nopts].name)
		nopts++;
	names = mg_xcalloc(nopts + mg_config_nkeys + 3, sizeof(char *));
	for (size_t i = 0; i < nopts; i++)
		names[k++] = opts[i].name;
	names[k++] = "config";
	names[k++] = "env";
	/* config keys in flag spelling */
	{
		char **flags = mg_xcalloc(mg_config_nkeys, sizeof(char *));
		for (size_t i = 0; i < mg_config_nkeys; i++) {
			flags[i] = mg_xstrdup(mg_config_keys[i].name);
			for (char *p = flags[i]; *p; p++)
				if (*p == '_')
					*p = '-';
			names[k++] = flags[i];
		}
		near = mg_config_nearest(name, names);
		mg_err_set(err, MG_EUSAGE, "unknown-option", "unknown option '--%s'", name);
		if (near)
			mg_err_hint(err, "did you mean '--%s'?", near);
		else
			mg_err_hint(err, "see 'migrate COMMAND --help'");
		for (size_t i = 0; i < mg_config_nkeys; i++)
			free(flags[i]);
		free(flags);
	}
	free(names);
	free(name);
	return MG_EUSAGE;
}

int mg_cli_parse(int argc, char **argv, const struct mg_opt *opts,
		 struct mg_cli *cli, struct mg_err *err)
{
	bool only_pos = false;

	memset(cli, 0, sizeof(*cli));
	cli->vals = mg_xcalloc((size_t)argc + 1, sizeof(cli->vals[0]));
	cli->pos = mg_xcalloc((size_t)argc + 1, sizeof(char *));
	cli->parsed = true;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *eq, *val = NULL;
		const struct mg_opt *o;
		size_t n;
		int key;

		if (only_pos || a[0] != '-' || !a[1]) {
			cli->pos[cli->npos++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_pos = true;
			continue;
		}
		if (a[1] != '-') {
			mg_err_set(err, MG_EUSAGE, "unknown-option",
				   "unknown option '%s'", a);
			mg_err_hint(err, "options are long: --name VALUE (see "
					 "'migrate %s --help')", argv[0]);
			return MG_EUSAGE;
		}
		name = a + 2;
		eq = strchr(name, '=');
		n = eq ? (size_t)(eq - name) : strlen(name);
		if (eq)
			val = eq + 1;
		o = find_opt(opts, name, n);
		if (o) {
			if (o->has_arg && !val) {
				if (i + 1 >= argc)
					goto missing;
				val = argv[++i];
			} else if (!o->has_arg && val) {
				mg_err_set(err, MG_EUSAGE, "bad-option",
					   "option '--%.*s' takes no value", (int)n, name);
				return MG_EUSAGE;
			}
			cli->vals[cli->nvals].id = o->id;
			cli->vals[cli->nvals].arg = val;
			cli->nvals++;
			continue;
		}
		if ((n == 6 && !strncmp(name, "config", 6)) ||
		    (n == 3 && !strncmp(name, "env", 3))) {
			if (!val) {
				if (i + 1 >= argc)
					goto missing;
				val = argv[++i];
			}
			if (n == 3)
				cli->cargs.env_name = val;
			else
				cli->cargs.file = val;
			continue;
		}
		{
			char *k = mg_xstrndup(name, n);
			key = mg_config_key_index(k);
			free(k);
		}
		if (key < 0)
			return unknown_option(name, n, opts, err);
		if (!val) {
			if (i + 1 >= argc)
				goto missing;
			val = argv[++i];
		}
		cli->cargs.values[key] = val;
		continue;
missing:
		mg_err_set(err, MG_EUSAGE, "missing-argument",
			   "option '--%.*s' needs a value", (int)n, name);
		return MG_EUSAGE;
	}
	return 0;
}

void mg_cli_release(struct mg_cli *cli)
{
	free(cli->vals);
	free(cli->pos);
	memset(cli, 0, sizeof(*cli));
}

const char *mg_cli_get(const struct mg_cli *cli, int id, size_t *count)
{
	const char *v = NULL;
	size_t c = 0;

	for (size_t i = 0; i < cli->nvals; i++)
		if (cli->vals[i].id == id) {
			v = cli->vals[i].arg;
			c++;
		}
	if (count)
		*count = c;
	return v;
}

bool mg_cli_has(const struct mg_cli *cli, int id)
{
	size_t c;

	mg_cli_get(cli, id, &c);
	return c > 0;
}

/* see huge_heap; volatile: nothing reads it, and the compiler would drop
 * the malloc with the store */
static void *volatile below_huge;

/* status (10,000 migrations: SQLite's schema on the prefetch thread, the
 * set, the ledger rows) touches ~10 MB of new heap: 3,500-3,900 page
 * faults of 4 KiB per run, each costly on a VM. One arena for all
 * threads, big blocks from it rather than their own mappings, and the
 * first 44 MiB of it advised for transparent huge pages (where THP is
 * "madvise" or "always"): ~210 faults, about half of them the dynamic
 * loader's.
 * Nothing is allocated that is not used: the 48 MiB block is freed at
 * once and stays untouched (and unbacked) until needed. */
static void huge_heap(void)
{
	const uintptr_t huge = (uintptr_t)2 << 20;
	char *p, *a;
	size_t below;

	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	if (!(p = malloc((size_t)48 << 20)))
		return;
	a = (char *)(((uintptr_t)p + huge - 1) & ~(huge - 1));
	below = (size_t)(a - p);
	madvise(a, (size_t)44 << 20, MADV_HUGEPAGE);
	free(p);
	/* What is allocated next comes from where p was, and the part of it
	 * below a (up to 2 MiB, where the heap happens to start) is not in
	 * huge pages: 4 KiB faults again (the checksum cache file read
	 * there alone took 180-350). A block that is never touched takes
	 * that part, so the rest starts at a. */
	if (below > 64)
		below_huge = malloc(below - 8);
}

/* The heap for what the command will load. status: huge_heap. The other
 * commands read their files on worker threads, each with a malloc arena
 * of its own that would otherwise grow a few pages at a time, one
 * mprotect call each (lint of the 3,000-file benchmark corpus: 452 calls,
 * 9 with the pad); untouched pages cost nothing. (status has one arena,
 * grown to 48 MiB at once: the pad changes nothing there.) */
static void tune_heap(unsigned flags)
{
	if (flags & MG_CTX_PREFETCH)
		huge_heap();
	else
		mallopt(M_TOP_PAD, 16 << 20);
}

int mg_ctx_load(struct mg_ctx *ctx, const struct mg_cli *cli, unsigned flags,
		struct mg_err *err)
{
	struct mg_db_opts o = { 0 };
	int rc;

	tune_heap(flags);
	memset(ctx, 0, sizeof(*ctx));
	if ((rc = mg_config_load(&ctx->cfg, &cli->cargs, err)))
		return rc;
	ctx->dialect = mg_dialect_parse(ctx->cfg.dialect);
	if ((flags & MG_CTX_URL) == MG_CTX_URL) {
		if ((rc = mg_dburl_parse(&ctx->url, ctx->cfg.database_url, err)))
			return rc;
		ctx->have_url = true;
		if (ctx->dialect && ctx->dialect != ctx->url.dialect) {
			mg_err_set(err, MG_ECONFIG, "dialect-mismatch",
				   "dialect is %s (from %s) but the database URL is %s",
				   mg_dialect_name(ctx->dialect),
				   mg_config_origin(&ctx->cfg, (size_t)mg_config_key_index("dialect")),
				   mg_dialect_name(ctx->url.dialect));
			mg_err_hint(err, "remove the dialect setting or fix the URL");
			return MG_ECONFIG;
		}
		ctx->dialect = ctx->url.dialect;
	}
	if ((flags & MG_CTX_DB) == MG_CTX_DB) {
		o.readonly = (flags & MG_CTX_READONLY) != 0;
		o.lock_wait_ms = ctx->cfg.lock_wait_ms;
		o.notice = stderr;
		o.stop = mg_signals_pending; /* handlers: see mg_runner_open */
	}
	/* the connection and the ledger read overlap the set's loading; their
	 * errors are reported after the set's, as in the sequential order */
	if ((flags & MG_CTX_PREFETCH) && (flags & MG_CTX_DB) == MG_CTX_DB &&
	    (flags & MG_CTX_READONLY)) {
		ctx->prefetch = mg_xcalloc(1, sizeof(*ctx->prefetch));
		mg_prefetch_start(ctx->prefetch, &ctx->url, &o,
				  ctx->cfg.migrations_schema, ctx->cfg.migrations_table);
	}
	if (flags & MG_CTX_SET) {
		struct mg_migset_opts mo = { 0 };
		struct mg_sumcache *sc = NULL;
		mo.dialect = ctx->dialect ? mg_dialect_name(ctx->dialect) : NULL;
		mo.pattern = ctx->cfg.filename_pattern;
		if ((flags & MG_CTX_SET_OPTIONAL_DIR) && !mg_fs_is_dir(ctx->cfg.dir)) {
			memset(&ctx->set, 0, sizeof(ctx->set));
			ctx->set.dir = mg_xstrdup(ctx->cfg.dir);
		} else {
			if (flags & MG_CTX_SUMCACHE)
				sc = mg_sumcache_open(ctx->cfg.dir);
			rc = mg_migset_load_cached(&ctx->set, ctx->cfg.dir, &mo, 0, sc, err);
			if (!rc)
				mg_sumcache_save(sc, mg_sumcache_now_ns());
			mg_sumcache_free(sc);
			if (rc) {
				if (ctx->prefetch)
					mg_prefetch_abandon(ctx->prefetch);
				return rc;
			}
		}
		ctx->have_set = true;
	}
	if (ctx->prefetch) {
		mg_prefetch_join(ctx->prefetch);
		if ((rc = ctx->prefetch->open_rc)) {
			mg_err_move(err, &ctx->prefetch->open_err);
			return rc;
		}
		ctx->db = ctx->prefetch->db;
		ctx->prefetch->db = NULL;
	} else if ((flags & MG_CTX_DB) == MG_CTX_DB) {
		rc = mg_db_open(&ctx->db, &ctx->url, &o, err);
		if (rc)
			return rc;
	}
	return 0;
}

void mg_ctx_release(struct mg_ctx *ctx)
{
	mg_db_close(ctx->db);
	ctx->db = NULL;
	if (ctx->prefetch) {
		mg_prefetch_release(ctx->prefetch);
		free(ctx->prefetch);
	}
	if (ctx->have_set)
		mg_migset_release(&ctx->set);
	if (ctx->have_url)
		mg_dburl_release(&ctx->url);
	mg_config_release(&ctx->cfg);
	memset(ctx, 0, sizeof(*ctx));
}

void mg_ctx_print_err(const struct mg_ctx *ctx, const struct mg_err *err)
{
	struct mg_err copy = MG_ERR_INIT;
	const struct mg_dburl *u = ctx && ctx->have_url ? &ctx->url : NULL;

	copy.code = err->code;
	memcpy(copy.id, err->id, sizeof(copy.id));
	copy.msg = err->msg ? mg_xstrdup(err->msg) : NULL;
	copy.file = err->file ? mg_xstrdup(err->file) : NULL;
	copy.line = err->line;
	copy.col = err->col;
	copy.hint = err->hint ? mg_xstrdup(err->hint) : NULL;
	copy.detail = err->detail ? mg_xstrdup(err->detail) : NULL;
	/* the config's database_url may hold a password even when it was
	 * never parsed (an error before that step) */
	if (!u && ctx && ctx->cfg.database_url) {
		struct mg_dburl tmp;
		struct mg_err e2 = MG_ERR_INIT;
		if (!mg_dburl_parse(&tmp, ctx->cfg.database_url, &e2)) {
			mg_dburl_scrub_err(&tmp, &copy);
			mg_dburl_release(&tmp);
		}
		mg_err_release(&e2);
	}
	mg_dburl_scrub_err(u, &copy);
	mg_err_print(stderr, &copy);
	mg_err_release(&copy);
}

int mg_ctx_fail(struct mg_ctx *ctx, struct mg_cli *cli, struct mg_err *err)
{
	int code = mg_err_exit_code(err->code ? err->code : MG_EUSAGE);

	mg_ctx_print_err(ctx, err);
	if (ctx)
		mg_ctx_release(ctx);
	if (cli)
		mg_cli_release(cli);
	mg_err_release(err);
	return code;
}
