/*
 * cmd: one entry per subcommand (tmux's cmd_entry). Each cmd_<name>.c
 * exports `const struct mg_cmd mg_cmd_<name>`; main.c lists them in one
 * table that drives dispatch and `migrate --help`.
 *
 * run() receives argv with argv[0] = the command name and returns the
 * process exit code (docs/exit-codes.md): 0 ok, 1 refused for safety or
 * findings, 2 usage/config/input error, 3 database error or failed migration.
 */
#ifndef MG_CMD_H
#define MG_CMD_H

struct mg_cmd {
	const char *name;
	const char *summary; /* one line for `migrate --help` */
	const char *usage;   /* full text for `migrate NAME --help` */
	int (*run)(int argc, char **argv);
};

extern const struct mg_cmd mg_cmd_down;
extern const struct mg_cmd mg_cmd_lint;
extern const struct mg_cmd mg_cmd_mark;
extern const struct mg_cmd mg_cmd_new;
extern const struct mg_cmd mg_cmd_status;
extern const struct mg_cmd mg_cmd_up;

#endif
