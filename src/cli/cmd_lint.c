/*
 * cmd_lint: `migrate lint [PATH...]` (docs/commands/migrate-lint.md).
 *
 * Flags > environment > config file ("lint" object) > defaults, as for
 * every command (common.h). Lints PATHs (files, directories, "-" for
 * standard input) or, with none, the migrations directory; prints the
 * findings in the chosen format; exits 0, 1 (findings at or above
 * --fail-on) or 2 (usage, configuration or input errors).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/xalloc.h"
#include "../lint/baseline.h"
#include "../lint/engine.h"
#include "../lint/lint.h"
#include "../lint/rule_meta.h"
#include "../report/report.h"
#include "cmd.h"
#include "common.h"

enum {
	O_FORMAT = 1, O_FAIL_ON, O_RULE, O_EXCLUDE, O_PG_VERSION, O_BASELINE,
	O_WRITE_BASELINE, O_STDIN_FILENAME, O_COLOR, O_NO_DOWNS, O_JOBS,
	O_LIST_RULES, O_OUTPUT, O_ONLY
};

static const struct mg_opt opts[] = {
	{ "format", O_FORMAT, true },
	{ "fail-on", O_FAIL_ON, true },
	{ "rule", O_RULE, true },
	{ "exclude", O_EXCLUDE, true },
	{ "pg-version", O_PG_VERSION, true },
	{ "baseline", O_BASELINE, true },
	{ "write-baseline", O_WRITE_BASELINE, true },
	{ "stdin-filename", O_STDIN_FILENAME, true },
	{ "color", O_COLOR, true },
	{ "colour", O_COLOR, true },
	{ "no-downs", O_NO_DOWNS, false },
	{ "jobs", O_JOBS, true },
	{ "list-rules", O_LIST_RULES, false },
	{ "output", O_OUTPUT, true },
	{ "only", O_ONLY, true },
	{ NULL, 0, false }
};

#define USAGE                                                                   \
	"usage: migrate lint [OPTIONS] [PATH...]\n"                             \
	"\n"                                                                    \
	"Lint migrations for changes that break the app version still running\n" \
	"or block production traffic: drops and renames, table rewrites, long\n" \
	"ACCESS EXCLUSIVE locks. PATH is a file, a directory (a migrations\n"    \
	"directory in any layout, or any folder of .sql files) or - for\n"      \
	"standard input; with no PATH, the migrations directory (--dir).\n"     \
	"Earlier migrations give the schema context, replayed offline.\n"       \
	"\n"                                                                    \
	"options:\n"                                                            \
	"  --format FMT           text (default), gcc, json, sarif, github\n"   \
	"  --fail-on LEVEL        exit 1 on findings at or above LEVEL: error\n" \
	"                         (default), warning, info, none\n"             \
	"  --rule ID=LEVEL        set a rule to off, info, warning or error\n"  \
	"                         (repeatable; config: lint.rules)\n"           \
	"  --only RULE            run only RULE (repeatable)\n"                \
	"  --exclude GLOB         do not lint files matching GLOB (repeatable;\n" \
	"                         they still give schema context)\n"            \
	"  --pg-version N         target PostgreSQL major version (default 15)\n" \
	"  --baseline FILE        do not report the findings recorded in FILE\n" \
	"  --write-baseline FILE  record the current findings in FILE, exit 0\n" \
	"  --stdin-filename NAME  file name for - (messages, and the context of\n" \
	"                         the migrations directory it belongs to)\n"    \
	"  --color WHEN           auto (default), always, never; NO_COLOR is\n" \
	"                         respected in auto mode\n"                     \
	"  --no-downs             do not lint downgrade scripts\n"              \
	"  --jobs N               lint up to N directories in parallel\n"       \
	"  --output FILE          write the report to FILE\n"                   \
	"  --list-rules           list the rules and their severities, exit\n"  \
	"\n"                                                                    \
	MG_CLI_COMMON_HELP                                                      \
	"\n"                                                                    \
	"exit status: 0 nothing at or above --fail-on; 1 findings at or above\n" \
	"it; 2 usage, configuration or input error (unreadable file, syntax\n"  \
	"error, unknown rule id)\n"

static int usage_err(struct mg_cli *cli, struct mg_err *err)
{
	return mg_ctx_fail(NULL, cli, err);
}

static void list_rules(FILE *out, const struct mg_lint_opts *o, bool json)
{
	if (json)
		fputs("{\"version\":1,\"rules\":[", out);
	for (size_t i = 0; mg_rules[i]; i++) {
		const struct mg_rule *r = mg_rules[i];
		const struct mg_rule_meta *m = mg_rule_meta_get(r->id);
		enum mg_severity sev = mg_engine_severity(o, r->id, r->default_severity);
		const char *d = r->dialects == MG_LINT_ALL_DIALECTS ? "postgres, sqlite" :
				r->dialects == MG_LINT_SQLITE ? "sqlite" : "postgres";
		if (json) {
			struct mg_buf b = MG_BUF_INIT;
			mg_buf_addf(&b, "%s\n{\"id\":\"%s\",\"severity\":\"%s\","
				    "\"default_severity\":\"%s\",\"dialects\":\"%s\","
				    "\"summary\":\"", i ? "," : "", r->id,
				    mg_severity_name(sev),
				    mg_severity_name(r->default_severity), d);
			mg_buf_add_json_str(&b, m ? m->summary : "");
			mg_buf_adds(&b, "\"}");
			fputs(b.buf, out);
			mg_buf_release(&b);
		} else {
			fprintf(out, "%-36s %-7s %-16s %s\n", r->id, mg_severity_name(sev),
				d, m ? m->summary : "");
		}
	}
	if (json)
		fputs("\n]}\n", out);
}

static int parse_level(const char *s, bool allow_none, struct mg_err *err)
{
	int v = mg_severity_parse(s);

	if (v > 0 || (allow_none && v == 0 && strcmp(s, "off")))
		return v;
	mg_err_set(err, MG_EUSAGE, "bad-option", "unknown level '%s'", s);
	mg_err_hint(err, "use error, warning, info%s", allow_none ? " or none" : "");
	return -1;
}

static int run(int argc, char **argv)
{
	struct mg_cli cli;
	struct mg_ctx ctx;
	struct mg_err err = MG_ERR_INIT;
	struct mg_lint_opts o;
	struct mg_lint_result res;
	struct mg_report_opts ro;
	const char **paths = NULL;
	size_t npaths = 0;
	const char *v, *out_path, *write_bl, *base;
	FILE *out = stdout;
	int rc, fmt = MG_FMT_TEXT, color;

	memset(&ctx, 0, sizeof(ctx));
	mg_lint_opts_init(&o);
	if (mg_cli_parse(argc, argv, opts, &cli, &err))
		return usage_err(&cli, &err);
	if ((v = mg_cli_get(&cli, O_FORMAT, NULL)) && (fmt = mg_report_format_parse(v)) < 0) {
		mg_err_set(&err, MG_EUSAGE, "bad-option", "unknown format '%s'", v);
		mg_err_hint(&err, "use text, gcc, json, sarif or github");
		return usage_err(&cli, &err);
	}
	/* the configuration first: flags override it below */
	if (mg_ctx_load(&ctx, &cli, 0, &err))
		goto fail;
	if (mg_lint_opts_from_config(&o, &ctx.cfg, &err))
		goto fail;
	if ((v = mg_cli_get(&cli, O_FAIL_ON, NULL))) {
		int s = parse_level(v, true, &err);
		if (s < 0)
			goto fail;
		o.fail_on = (enum mg_severity)s;
	}
	if ((v = mg_cli_get(&cli, O_PG_VERSION, NULL))) {
		char *end;
		long n = strtol(v, &end, 10);
		if (*end == '.')
			end += strspn(end + 1, "0123456789") + 1; /* 9.6 -> 9 */
		if (end == v || *end || n < 9 || n > 30) {
			mg_err_set(&err, MG_EUSAGE, "bad-option",
				   "--pg-version takes a PostgreSQL major version "
				   "such as 15, not '%s'", v);
			goto fail;
		}
		o.pg_version = (int)n;
	}
	if ((v = mg_cli_get(&cli, O_JOBS, NULL))) {
		long n = strtol(v, NULL, 10);
		if (n < 1 || n > 64) {
			mg_err_set(&err, MG_EUSAGE, "bad-option",
				   "--jobs takes a number from 1 to 64, not '%s'", v);
			goto fail;
		}
		o.jobs = (int)n;
	}
	o.no_downs = mg_cli_has(&cli, O_NO_DOWNS);
	if ((v = mg_cli_get(&cli, O_STDIN_FILENAME, NULL)))
		o.stdin_filename = mg_xstrdup(v);
	for (size_t i = 0; i < cli.nvals; i++) {
		if (cli.vals[i].id == O_RULE &&
		    mg_lint_opts_rule(&o, cli.vals[i].arg, &err))
			goto fail;
		if (cli.vals[i].id == O_EXCLUDE)
			mg_lint_opts_exclude(&o, cli.vals[i].arg);
		if (cli.vals[i].id == O_ONLY &&
		    mg_lint_opts_only(&o, cli.vals[i].arg, &err))
			goto fail;
	}
	out_path = mg_cli_get(&cli, O_OUTPUT, NULL);
	if (out_path && !(out = fopen(out_path, "w"))) {
		mg_err_set(&err, MG_EIO, "cannot-write", "cannot write '%s'", out_path);
		out = stdout;
		goto fail;
	}
	color = mg_report_color(mg_cli_get(&cli, O_COLOR, NULL), out);
	if (color < 0) {
		mg_err_set(&err, MG_EUSAGE, "bad-option", "--color takes auto, "
			   "always or never");
		goto fail;
	}
	if (mg_cli_has(&cli, O_LIST_RULES)) {
		list_rules(out, &o, fmt == MG_FMT_JSON);
		rc = 0;
		goto done;
	}

	if (cli.npos) {
		paths = (const char **)cli.pos;
		npaths = cli.npos;
	} else {
		if (!mg_fs_is_dir(ctx.cfg.dir)) {
			mg_err_set(&err, MG_EUSAGE, "no-migrations-dir",
				   "no path given and the migrations directory '%s' "
				   "does not exist", ctx.cfg.dir);
			mg_err_hint(&err, "pass files or directories to lint, or "
					 "--dir DIR (or MIGRATIONS_DIR)");
			goto fail;
		}
		paths = (const char **)&ctx.cfg.dir;
		npaths = 1;
	}
	mg_lint_paths(paths, npaths, &o, &res, &err);
	if ((base = mg_cli_get(&cli, O_BASELINE, NULL)) &&
	    !mg_cli_has(&cli, O_WRITE_BASELINE) &&
	    mg_lint_apply_baseline(&res, base, &err)) {
		mg_lint_result_release(&res);
		goto fail;
	}
	if ((write_bl = mg_cli_get(&cli, O_WRITE_BASELINE, NULL))) {
		if (mg_baseline_write(write_bl, res.diags.v, res.diags.n, &err)) {
			mg_lint_result_release(&res);
			goto fail;
		}
		fprintf(stderr, "migrate: wrote %zu finding%s to baseline '%s'\n",
			res.diags.n, res.diags.n == 1 ? "" : "s", write_bl);
		rc = res.input_error ? 2 : 0;
		mg_lint_result_release(&res);
		goto done;
	}
	memset(&ro, 0, sizeof(ro));
	ro.format = (enum mg_report_format)fmt;
	ro.color = color == 1;
	ro.summary = true;
	ro.tool_version = MIGRATE_VERSION;
	mg_report_write(out, &ro, res.diags.v, res.diags.n, &res.sum);
	rc = mg_lint_exit_code(&res, &o);
	mg_lint_result_release(&res);
done:
	if (out != stdout && fclose(out) != 0 && !rc)
		rc = 2;
	mg_lint_opts_release(&o);
	mg_ctx_release(&ctx);
	mg_cli_release(&cli);
	mg_err_release(&err);
	return rc;
fail:
	if (out != stdout)
		fclose(out);
	mg_lint_opts_release(&o);
	return mg_ctx_fail(&ctx, &cli, &err);
}

const struct mg_cmd mg_cmd_lint = {
	"lint", "check migrations for unsafe schema changes", USAGE, run
};
