/* cmd_mark: `migrate mark VERSION --applied|--rolled-back` repairs the ledger
 * after a manual fix (docs/commands/migrate-mark.md). */
#include <stdio.h>
#include <string.h>

#include "../run/runner.h"
#include "cmd.h"
#include "common.h"

enum { O_APPLIED = 1, O_ROLLED_BACK };

static const struct mg_opt opts[] = {
	{ "applied", O_APPLIED, false },
	{ "rolled-back", O_ROLLED_BACK, false },
	{ NULL, 0, false }
};

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;
	struct mg_runner r;
	bool applied, rolled;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	applied = mg_cli_has(&cli, O_APPLIED);
	rolled = mg_cli_has(&cli, O_ROLLED_BACK);
	if (cli.npos != 1 || applied == rolled) {
		mg_err_set(&err, MG_EUSAGE, "bad-argument",
			   "usage: migrate mark VERSION --applied|--rolled-back");
		mg_err_hint(&err, "--applied records VERSION as applied with the "
				  "file's checksum; --rolled-back deletes its row");
		return mg_ctx_fail(&ctx, &cli, &err);
	}
	if (mg_ctx_load(&ctx, &cli, MG_CTX_SET | MG_CTX_DB, &err))
		return mg_ctx_fail(&ctx, &cli, &err);
	rc = mg_runner_open(&r, &ctx.cfg, &ctx.set, ctx.db, true, &err);
	if (!rc)
		rc = mg_runner_mark(&r, cli.pos[0], applied, &err);
	mg_runner_close(&r);
	if (rc)
		return mg_ctx_fail(&ctx, &cli, &err);
	mg_ctx_release(&ctx);
	mg_cli_release(&cli);
	return 0;
}

const struct mg_cmd mg_cmd_mark = {
	"mark", "record a migration as applied or rolled back (ledger repair)",
	"usage: migrate mark VERSION --applied|--rolled-back\n"
	"\n"
	"Repair the ledger after fixing the database by hand, without running\n"
	"any migration SQL:\n"
	"  --applied       record VERSION as applied with its file's current\n"
	"                  checksum, clearing a dirty state (the file must exist)\n"
	"  --rolled-back   delete VERSION's row (it will be pending again)\n"
	"\n" MG_CLI_COMMON_HELP
	"\nexit codes: 0 ok; 2 usage or unknown version; 3 database error\n"
	"(docs/exit-codes.md)\n",
	run
};
