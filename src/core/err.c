/* err: error values; see err.h and docs/internals/errors.md. */
#include "err.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

int mg_err_set(struct mg_err *e, int code, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return code;
	free(e->msg);
	e->code = code;
	snprintf(e->id, sizeof(e->id), "%s", id ? id : "error");
	va_start(ap, fmt);
	e->msg = mg_xvasprintf(fmt, ap);
	va_end(ap);
	return code;
}

void mg_err_at(struct mg_err *e, const char *file, unsigned line, unsigned col)
{
	if (!e)
		return;
	if (file) {
		free(e->file);
		e->file = mg_xstrdup(file);
	}
	e->line = line;
	e->col = col;
}

void mg_err_hint(struct mg_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	free(e->hint);
	va_start(ap, fmt);
	e->hint = mg_xvasprintf(fmt, ap);
	va_end(ap);
}

void mg_err_detail(struct mg_err *e, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	free(e->detail);
	va_start(ap, fmt);
	e->detail = mg_xvasprintf(fmt, ap);
	va_end(ap);
}

void mg_err_prefix(struct mg_err *e, const char *fmt, ...)
{
	va_list ap;
	char *pre, *n;

	if (!e)
		return;
	va_start(ap, fmt);
	pre = mg_xvasprintf(fmt, ap);
	va_end(ap);
	n = mg_xasprintf("%s: %s", pre, e->msg ? e->msg : "");
	free(pre);
	free(e->msg);
	e->msg = n;
}

void mg_err_release(struct mg_err *e)
{
	if (!e)
		return;
	free(e->msg);
	free(e->file);
	free(e->hint);
	free(e->detail);
	memset(e, 0, sizeof(*e));
}

void mg_err_move(struct mg_err *dst, struct mg_err *src)
{
	mg_err_release(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

int mg_err_exit_code(int code)
{
	switch (code) {
	case MG_OK:
		return 0;
	case MG_EREFUSED:
		return 1;
	case MG_EUSAGE:
	case MG_ECONFIG:
	case MG_EINPUT:
	case MG_EIO:
		return 2;
	default:
		return 3;
	}
}

void mg_err_print(FILE *f, const struct mg_err *e)
{
	fputs("migrate: error: ", f);
	if (e->file) {
		if (e->line && e->col)
			fprintf(f, "%s:%u:%u: ", e->file, e->line, e->col);
		else if (e->line)
			fprintf(f, "%s:%u: ", e->file, e->line);
		else
			fprintf(f, "%s: ", e->file);
	}
	fprintf(f, "%s [%s]\n", e->msg ? e->msg : "unknown error", e->id);
	if (e->detail)
		fprintf(f, "  detail: %s\n", e->detail);
	if (e->hint)
		fprintf(f, "  hint: %s\n", e->hint);
}
