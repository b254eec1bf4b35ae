/* cmd_mark: `migrate mark` (placeholder until implemented). */
#include <stdio.h>

#include "cmd.h"

static int run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("migrate: error: 'mark' is not implemented yet\n", stderr);
	return 2;
}

const struct mg_cmd mg_cmd_mark = {
	"mark", "not implemented yet", "usage: migrate mark\n", run
};
