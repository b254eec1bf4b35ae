/*
 * report_text: the default, compiler-style format.
 *
 *   path:3:19: error: column "nickname" of table "users" is dropped ... [drop-column]
 *       3 | ALTER TABLE users DROP COLUMN nickname;
 *         |                   ^~~~~~~~~~~~~~~~~~~~
 *     = lock: ACCESS EXCLUSIVE on "users" (blocks reads and writes)
 *     = help: stop using the column in the app first, ...
 *
 * then one summary line. Colour (ANSI) only when asked (mg_report_color).
 */
#include "report.h"

#include <string.h>

#include "../lint/rule_meta.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_RED "\033[1;31m"
#define C_YELLOW "\033[1;33m"
#define C_CYAN "\033[1;36m"
#define C_GREEN "\033[1;32m"
#define C_BLUE "\033[1;34m"
#define C_DIM "\033[2m"

static const char *sev_color(enum mg_severity s)
{
	return s == MG_SEV_ERROR ? C_RED : s == MG_SEV_WARNING ? C_YELLOW : C_CYAN;
}

/* Write the source line with tabs kept, then the caret line whose padding
 * copies the line's tabs so the caret lines up in any tab width. */
static void excerpt(FILE *out, const struct mg_diag *d, bool color)
{
	char num[24];
	int w;
	const char *s = d->source_line;
	unsigned col = 1;

	if (!s)
		return;
	w = snprintf(num, sizeof(num), "%u", d->line);
	if (w < 4)
		w = 4;
	fprintf(out, "%s%*u |%s %s\n", color ? C_BLUE : "", w + 1, d->line,
		color ? C_RESET : "", s);
	fprintf(out, "%s%*s |%s ", color ? C_BLUE : "", w + 1, "", color ? C_RESET : "");
	for (const char *p = s; *p && col < d->column; p++) {
		if (((unsigned char)*p & 0xc0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		col++;
	}
	if (color)
		fputs(C_GREEN, out);
	fputc('^', out);
	for (unsigned i = 1; i < d->caret_len; i++)
		fputc('~', out);
	if (color)
		fputs(C_RESET, out);
	fputc('\n', out);
}

void mg_report_text_one(FILE *out, const struct mg_diag *d, bool color)
{
	fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s%s%s %s[%s]%s\n",
		color ? C_BOLD : "", d->file, d->line, d->column, color ? C_RESET : "",
		color ? sev_color(d->severity) : "", mg_severity_name(d->severity),
		color ? C_RESET : "", color ? C_BOLD : "", d->message,
		color ? C_RESET : "", color ? C_DIM : "", d->rule, color ? C_RESET : "");
	excerpt(out, d, color);
	if (d->has_lock)
		fprintf(out, "  = %slock%s: %s on \"%s\" (blocks %s)\n",
			color ? C_BOLD : "", color ? C_RESET : "",
			mg_lock_mode_name(d->lock_mode), d->lock_relation,
			mg_lock_mode_blocks(d->lock_mode));
	if (d->help)
		fprintf(out, "  = %shelp%s: %s\n", color ? C_BOLD : "",
			color ? C_RESET : "", d->help);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

MG_REPORT_WRITER(mg_report_text)
{
	bool color = o && o->color;

	for (size_t i = 0; i < n; i++) {
		mg_report_text_one(out, &d[i], color);
		fputc('\n', out);
	}
	if (o && !o->summary)
		return;
	if (s->errors + s->warnings + s->infos == 0)
		fprintf(out, "%sno problems%s in %zu %s (%zu %s)",
			color ? C_GREEN : "", color ? C_RESET : "", s->files,
			plural(s->files, "file", "files"), s->statements,
			plural(s->statements, "statement", "statements"));
	else
		fprintf(out, "%zu %s, %zu %s, %zu %s in %zu %s (%zu %s)",
			s->errors, plural(s->errors, "error", "errors"),
			s->warnings, plural(s->warnings, "warning", "warnings"),
			s->infos, plural(s->infos, "info", "infos"), s->files,
			plural(s->files, "file", "files"), s->statements,
			plural(s->statements, "statement", "statements"));
	if (s->suppressed)
		fprintf(out, "; %zu suppressed", s->suppressed);
	if (s->baselined)
		fprintf(out, "; %zu in the baseline", s->baselined);
	fputc('\n', out);
}
