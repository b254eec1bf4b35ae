/* cmd_status: `migrate status` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'status' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_status = {
	"status", "not implemented yet", "usage: migrate status\n", run
};
