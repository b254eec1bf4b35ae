/* cmd_lint: `migrate lint` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'lint' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_lint = {
	"lint", "not implemented yet", "usage: migrate lint\n", run
};
