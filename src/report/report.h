/*
 * report: lint findings, written in one of five formats.
 *
 * One file per format (report_text.c, report_gcc.c, report_json.c,
 * report_sarif.c, report_github.c), each exporting one writer declared with
 * MG_REPORT_WRITER; mg_report_write picks by format. Writers
 * print to the FILE they are given and never decide the exit code. The
 * JSON and SARIF shapes are documented in docs/lint-output.md and stable.
 *
 * Positions in a diagnostic are final: line and column counted from 1,
 * columns in characters. `line:column` is the offending token;
 * `end_line:end_column` is the end of the statement it belongs to (for a
 * finding outside any statement, the end of the token); end_column is
 * exclusive (the column just after the last character), as in SARIF.
 */
#ifndef MG_REPORT_H
#define MG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "lint/rule.h"

struct mg_diag {
	char *file;              /* owned: path as displayed */
	unsigned line, column;   /* the offending token */
	unsigned end_line, end_column; /* end of the statement (exclusive) */
	const char *rule;        /* static: rule id or engine diagnostic id */
	enum mg_severity severity; /* INFO, WARNING or ERROR */
	char *message;           /* owned */
	char *help;              /* owned, or NULL */
	bool has_lock;
	enum mg_lock_mode lock_mode;
	char lock_relation[132]; /* "users" or "billing.invoices" */
	char *source_line;       /* owned: text of `line` (no line break), or NULL */
	unsigned caret_len;      /* characters to underline on source_line (>= 1) */
	char fingerprint[17];    /* 16 hex: rule + normalised statement text */
	size_t off;              /* byte offset in the file (for ordering) */
	size_t stmt_index;       /* statement index in its script, or SIZE_MAX */
};

void mg_diag_release(struct mg_diag *d);

/* A growable list of diagnostics with its counters. */
struct mg_diags {
	struct mg_diag *v;
	size_t n, cap;
};
void mg_diags_add(struct mg_diags *l, struct mg_diag *d); /* moves *d in */
/* Move every item of src to the end of dst (src left empty). */
void mg_diags_append(struct mg_diags *dst, struct mg_diags *src);
void mg_diags_release(struct mg_diags *l);

struct mg_report_summary {
	size_t files;        /* files linted */
	size_t statements;   /* statements linted */
	size_t errors, warnings, infos;  /* reported (after suppression) */
	size_t suppressed;   /* dropped by lint-ignore directives */
	size_t baselined;    /* dropped because the baseline lists them */
};

enum mg_report_format {
	MG_FMT_TEXT = 0,
	MG_FMT_GCC,
	MG_FMT_JSON,
	MG_FMT_SARIF,
	MG_FMT_GITHUB
};

struct mg_report_opts {
	enum mg_report_format format;
	bool color;              /* text only: ANSI colours */
	bool summary;            /* text only: print the summary line */
	const char *tool_version;/* SARIF driver version (MIGRATE_VERSION) */
};

/* The writers; same contract as mg_report_write. */
#define MG_REPORT_WRITER(name)                                            \
	void name(FILE *out, const struct mg_report_opts *o,              \
		  const struct mg_diag *d, size_t n,                      \
		  const struct mg_report_summary *s)
MG_REPORT_WRITER(mg_report_text);
MG_REPORT_WRITER(mg_report_gcc);
MG_REPORT_WRITER(mg_report_json);
MG_REPORT_WRITER(mg_report_sarif);
MG_REPORT_WRITER(mg_report_github);

/* Write with the writer of o->format. */
void mg_report_write(FILE *out, const struct mg_report_opts *o,
		     const struct mg_diag *d, size_t n,
		     const struct mg_report_summary *s);
/* Parse "text", "gcc", "json", "sarif", "github"; -1 if none. */
int mg_report_format_parse(const char *s);
/* Decide colour for --color auto|always|never (NULL = auto): auto means
 * `out` is a terminal and NO_COLOR is unset or empty. -1 on a bad value. */
int mg_report_color(const char *mode, FILE *out);
/* Append s escaped as a JSON string body (no quotes); copies runs of plain
 * characters at once (the JSON and SARIF writers' hot path). */
struct mg_buf;
void mg_report_json_escape(struct mg_buf *b, const char *s);
/* The text writer's one-diagnostic block, for the runner's gate output. */
void mg_report_text_one(FILE *out, const struct mg_diag *d, bool color);

#endif
