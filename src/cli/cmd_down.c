/* cmd_down: `migrate down` rolls back, newest applied first
 * (docs/commands/migrate-down.md). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../run/runner.h"
#include "cmd.h"
#include "common.h"

enum { O_TO = 1, O_DRY_RUN, O_ALLOW_DRIFT, O_ALL };

static const struct mg_opt opts[] = {
	{ "to", O_TO, true },
	{ "dry-run", O_DRY_RUN, false },
	{ "allow-drift", O_ALLOW_DRIFT, false },
	{ "all", O_ALL, false },
	{ NULL, 0, false }
};

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;
	struct mg_runner r;
	struct mg_down_opts o;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	memset(&o, 0, sizeof(o));
	o.steps = 1;
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	o.to = mg_cli_get(&cli, O_TO, NULL);
	o.dry_run = mg_cli_has(&cli, O_DRY_RUN);
	o.allow_drift = mg_cli_has(&cli, O_ALLOW_DRIFT);
	if (cli.npos > 1 || (cli.npos && (o.to || mg_cli_has(&cli, O_ALL)))) {
		mg_err_set(&err, MG_EUSAGE, "bad-argument",
			   "give one of N, --to VERSION or --all");
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	if (cli.npos) {
		const char *s = cli.pos[0];
		char *end;
		long n = strtol(s, &end, 10);
		if (!isdigit((unsigned char)*s) || *end || n < 1 || n > 1000000) {
			mg_err_set(&err, MG_EUSAGE, "bad-argument",
				   "'%s' is not a number of migrations", s);
			mg_err_hint(&err, "migrate down 2 rolls back the two newest; "
					  "use --to VERSION to roll back to a version");
			return mg_ctx_fail(&ctx, &cli, &err);
		}
		o.steps = n;
	}
	if (mg_cli_has(&cli, O_ALL))
		o.steps = 1000000000L;
	if (mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_DB |
			(o.dry_run ? MG_CTX_READONLY : 0), &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	rc = mg_runner_open(&r, &ctx.cfg, &ctx.set, ctx.db, !o.dry_run, &err);
	if (!rc)
		rc = mg_runner_down(&r, &o, &err);
	mg_runner_close(&r);
	if (rc)
		return mg_ctx_fail(&ctx, &cli, &err);
	mg_ctx_release(&ctx);
	mg_cli_release(&cli);
	return 0;
}

const struct mg_cmd mg_cmd_down = {
	"down", "roll back applied migrations, newest first",
	"usage: migrate down [N | --to VERSION | --all] [--dry-run] [--allow-drift]\n"
	"\n"
	"Roll back the most recently applied migration (or the N most recent,\n"
	"or every one newer than VERSION), newest first, each in a transaction\n"
	"with the deletion of its ledger row. Refuses (exit 1) before running\n"
	"anything when a migration to roll back has no down script or an empty\n"
	"one, when its file is gone or changed, or when a migration is dirty.\n"
	"\n"
	"options:\n"
	"  N              how many to roll back (default 1)\n"
	"  --to VERSION   roll back everything applied after VERSION (VERSION\n"
	"                 stays applied)\n"
	"  --all          roll back everything\n"
	"  --dry-run      print the exact SQL, ledger writes included\n"
	"  --allow-drift  roll back even if the file changed since it was applied\n"
	"\n" MG_CLI_COMMON_HELP
	"\nexit codes: 0 ok; 1 refused (no down script, dirty, drift, missing\n"
	"file); 2 usage, configuration or input error; 3 database error,\n"
	"failed rollback or interrupted (docs/exit-codes.md)\n",
	run
};
