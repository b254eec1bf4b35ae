/* cmd_up: `migrate up` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'up' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_up = {
	"up", "not implemented yet", "usage: migrate up\n", run
};
