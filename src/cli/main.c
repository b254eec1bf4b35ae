/*
 * main: global flags, command lookup, exit code, and the final stdout check.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "../db/driver.h"

static const struct mg_cmd *const cmds[] = {
	&mg_cmd_up, &mg_cmd_down, &mg_cmd_status, &mg_cmd_lint,
	&mg_cmd_new, &mg_cmd_mark, NULL
};

static void usage(FILE *f)
{
	fputs("usage: migrate COMMAND [OPTIONS]\n\n"
	      "Schema migrations for PostgreSQL and SQLite, with an "
	      "expand/contract safety linter.\n\ncommands:\n", f);
	for (size_t i = 0; cmds[i]; i++)
		fprintf(f, "  %-8s %s\n", cmds[i]->name, cmds[i]->summary);
	fputs("\nglobal options:\n"
	      "  -h, --help     show help (migrate COMMAND --help for a command)\n"
	      "  -V, --version  print the version\n\n"
	      "exit codes: 0 ok, 1 refused for safety or findings, 2 usage, "
	      "configuration or input error,\n            3 database error or "
	      "failed migration (docs/exit-codes.md)\n", f);
}

static int finish(int rc)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "migrate: error: cannot write to standard output: %s\n",
			strerror(errno));
		return rc ? rc : 2;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	mg_db_init();
	name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help") || !strcmp(name, "help")) {
		if (argc > 2 && strcmp(name, "help") == 0) {
			for (size_t i = 0; cmds[i]; i++)
				if (!strcmp(cmds[i]->name, argv[2])) {
					fputs(cmds[i]->usage, stdout);
					return finish(0);
				}
		}
		usage(stdout);
		return finish(0);
	}
	if (!strcmp(name, "-V") || !strcmp(name, "--version") ||
	    !strcmp(name, "version")) {
		printf("migrate %s\n", MIGRATE_VERSION);
		return finish(0);
	}
	for (size_t i = 0; cmds[i]; i++) {
		if (strcmp(cmds[i]->name, name))
			continue;
		for (int k = 2; k < argc; k++) {
			if (!strcmp(argv[k], "--"))
				break;
			if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
				fputs(cmds[i]->usage, stdout);
				return finish(0);
			}
		}
		return finish(cmds[i]->run(argc - 1, argv + 1));
	}
	fprintf(stderr, "migrate: error: unknown command '%s'\n"
		"  hint: run 'migrate --help' for the list of commands\n", name);
	return 2;
}
