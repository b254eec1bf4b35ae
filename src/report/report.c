/* report: diagnostic lists and the format switch; see report.h. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

void mg_diag_release(struct mg_diag *d)
{
	free(d->file);
	free(d->message);
	free(d->help);
	free(d->source_line);
	memset(d, 0, sizeof(*d));
}

void mg_diags_add(struct mg_diags *l, struct mg_diag *d)
{
	MG_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = *d;
	memset(d, 0, sizeof(*d));
}

void mg_diags_append(struct mg_diags *dst, struct mg_diags *src)
{
	if (!src->n)
		return;
	MG_GROW(dst->v, dst->cap, dst->n + src->n);
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	src->n = 0;
}

void mg_diags_release(struct mg_diags *l)
{
	for (size_t i = 0; i < l->n; i++)
		mg_diag_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void mg_report_write(FILE *out, const struct mg_report_opts *o,
		     const struct mg_diag *d, size_t n,
		     const struct mg_report_summary *s)
{
	switch (o->format) {
	case MG_FMT_GCC: mg_report_gcc(out, o, d, n, s); break;
	case MG_FMT_JSON: mg_report_json(out, o, d, n, s); break;
	case MG_FMT_SARIF: mg_report_sarif(out, o, d, n, s); break;
	case MG_FMT_GITHUB: mg_report_github(out, o, d, n, s); break;
	default: mg_report_text(out, o, d, n, s); break;
	}
}

int mg_report_format_parse(const char *s)
{
	static const char *const names[] = { "text", "gcc", "json", "sarif", "github" };

	for (int i = 0; s && i < 5; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

int mg_report_color(const char *mode, FILE *out)
{
	const char *nc;

	if (mode && !strcmp(mode, "always"))
		return 1;
	if (mode && !strcmp(mode, "never"))
		return 0;
	if (mode && strcmp(mode, "auto"))
		return -1;
	nc = getenv("NO_COLOR");
	if (nc && nc[0])
		return 0;
	return isatty(fileno(out)) ? 1 : 0;
}

void mg_report_json_escape(struct mg_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7];
		size_t n = 0;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (s > run)
			mg_buf_add(b, run, (size_t)(s - run));
		if (!c)
			return;
		esc[n++] = '\\';
		switch (c) {
		case '"': esc[n++] = '"'; break;
		case '\\': esc[n++] = '\\'; break;
		case '\n': esc[n++] = 'n'; break;
		case '\r': esc[n++] = 'r'; break;
		case '\t': esc[n++] = 't'; break;
		default:
			esc[n++] = 'u';
			esc[n++] = '0';
			esc[n++] = '0';
			esc[n++] = hex[c >> 4];
			esc[n++] = hex[c & 15];
		}
		mg_buf_add(b, esc, n);
		run = s + 1;
	}
}
