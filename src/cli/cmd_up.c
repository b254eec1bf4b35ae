/* cmd_up: `migrate up` applies pending migrations (docs/commands/migrate-up.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lint/lint.h"
#include "../run/runner.h"
#include "cmd.h"
#include "common.h"

enum {
	O_TO = 1, O_DRY_RUN, O_SINGLE_TX, O_RESUME, O_ALLOW_DRIFT, O_ALLOW_MISSING,
	O_ALLOW_OOO, O_ALLOW_RULE
};

static const struct mg_opt opts[] = {
	{ "to", O_TO, true },
	{ "dry-run", O_DRY_RUN, false },
	{ "single-transaction", O_SINGLE_TX, false },
	{ "resume", O_RESUME, false },
	{ "allow-drift", O_ALLOW_DRIFT, false },
	{ "allow-missing", O_ALLOW_MISSING, false },
	{ "allow-out-of-order", O_ALLOW_OOO, false },
	{ "allow", O_ALLOW_RULE, true },
	{ NULL, 0, false }
};

static int lint_gate(const struct mg_ctx *ctx, const struct mg_up_job *job,
		     const char *const *allow, size_t nallow, struct mg_err *err)
{
	struct mg_lint_opts lo;
	int rc;

	if (!job->n)
		return 0;
	mg_lint_opts_init(&lo);
	rc = mg_lint_opts_from_config(&lo, &ctx->cfg, err);
	lo.dialect = ctx->dialect == MG_DIALECT_SQLITE ? MG_LINT_SQLITE
						       : MG_LINT_POSTGRES;
	if (!rc)
		rc = mg_lint_gate_list(&ctx->set, job->migs, job->n, &lo, allow,
				       nallow, stderr,
				       isatty(2) && !getenv("NO_COLOR"), err);
	mg_lint_opts_release(&lo);
	return rc;
}

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;
	struct mg_runner r;
	struct mg_up_job job;
	struct mg_up_opts o;
	const char **allow; /* --allow RULE, repeatable: for the lint gate */
	size_t nallow = 0;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(&o, 0, sizeof(o));
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	if (cli.npos) {
		mg_err_set(&err, MG_EUSAGE, "bad-argument",
			   "unexpected argument '%s'", cli.pos[0]);
		mg_err_hint(&err, "use --to VERSION to stop at a version");
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	o.to = mg_cli_get(&cli, O_TO, NULL);
	o.dry_run = mg_cli_has(&cli, O_DRY_RUN);
	o.single_tx = mg_cli_has(&cli, O_SINGLE_TX);
	o.resume = mg_cli_has(&cli, O_RESUME);
	o.allow_drift = mg_cli_has(&cli, O_ALLOW_DRIFT);
	o.allow_missing = mg_cli_has(&cli, O_ALLOW_MISSING);
	o.allow_out_of_order = mg_cli_has(&cli, O_ALLOW_OOO);
	allow = calloc(cli.nvals + 1, sizeof(*allow));
	for (size_t i = 0; allow && i < cli.nvals; i++)
		if (cli.vals[i].id == O_ALLOW_RULE)
			allow[nallow++] = cli.vals[i].arg;

	if (mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_DB |
			(o.dry_run ? MG_CTX_READONLY : 0), &err)) {
		free(allow);
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	o.backup = ctx.cfg.backup;
	if (o.backup && ctx.dialect != MG_DIALECT_SQLITE) {
		mg_err_set(&err, MG_ECONFIG, "bad-config-value",
			   "backup (from %s) is supported for SQLite databases only",
			   mg_config_origin(&ctx.cfg, (size_t)mg_config_key_index("backup")));
		free(allow);
		return mg_ctx_fail(&ctx, &cli, &err);
	}

	/* lock (not for a dry run), read the ledger, plan */
	rc = mg_runner_open(&r, &ctx.cfg, &ctx.set, ctx.db, !o.dry_run, &err);
	/* refuse or parse every pending script: nothing has run yet */
	if (!rc)
		rc = mg_runner_up_plan(&r, &o, &job, &err);
	else
		memset(&job, 0, sizeof(job));

	/* the lint gate: after every pending script is chosen and parsed,
	 * before anything executes; error-level findings refuse (exit 1)
	 * unless suppressed in the file or allowed with --allow RULE */
	if (!rc)
		rc = lint_gate(&ctx, &job, allow, nallow, &err);

	if (!rc)
		rc = mg_runner_up_apply(&r, &o, &job, &err);
	mg_up_job_release(&job);
	mg_runner_close(&r);
	free(allow);
	if (rc)
		return mg_ctx_fail(&ctx, &cli, &err);
	mg_ctx_release(&ctx);
	mg_cli_release(&cli);
	return 0;
}

const struct mg_cmd mg_cmd_up = {
	"up", "apply pending migrations",
	"usage: migrate up [--to VERSION] [--dry-run] [--single-transaction]\n"
	"                  [--resume] [--allow-drift] [--allow-missing]\n"
	"                  [--allow-out-of-order] [--allow RULE]... [--backup PATH]\n"
	"\n"
	"Apply pending migrations in version order, each in its own transaction\n"
	"together with its ledger row (no-transaction ones statement by\n"
	"statement, with progress recorded). Every pending file is parsed first;\n"
	"a syntax error stops the run before anything executes.\n"
	"\n"
	"options:\n"
	"  --to VERSION          apply up to and including VERSION (a leading v\n"
	"                        is optional)\n"
	"  --dry-run             print the exact SQL, ledger writes included;\n"
	"                        change nothing\n"
	"  --single-transaction  apply everything in one transaction (all or\n"
	"                        nothing); refused if one is no-transaction\n"
	"  --resume              continue a dirty no-transaction migration from\n"
	"                        the statement that stopped\n"
	"  --allow-drift         do not refuse when an applied file changed\n"
	"  --allow-missing       do not refuse when an applied file is gone\n"
	"  --allow-out-of-order  apply pending files older than the newest applied\n"
	"  --allow RULE          allow findings of lint rule RULE (repeatable)\n"
	"  --backup PATH         SQLite: write a consistent copy first\n"
	"\n" MG_CLI_COMMON_HELP
	"\nexit codes: 0 ok; 1 refused (dirty, drift, missing, out of order, lint);\n"
	"2 usage, configuration or input error (nothing ran); 3 database error,\n"
	"failed migration or interrupted (docs/exit-codes.md)\n",
	run
};
