/* cmd_down: `migrate down` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'down' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_down = {
	"down", "not implemented yet", "usage: migrate down\n", run
};
