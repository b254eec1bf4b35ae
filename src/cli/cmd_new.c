/* cmd_new: `migrate new` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'new' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_new = {
	"new", "not implemented yet", "usage: migrate new\n", run
};
