/* directive: `-- migrate:` comment directives; see directive.h. */
#include "directive.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

const char *const mg_directive_names[] = {
	"up", "down", "no-transaction", "description", "lint-ignore",
	"lint-ignore-file", NULL
};

static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$' ||
	       (unsigned char)c >= 0x80;
}

/* Length of a dollar-quote tag "$tag$" at s[i] (0 if none). */
static size_t dollar_tag_len(const char *s, size_t i, size_t n)
{
	size_t j = i + 1;

	if (j < n && (isdigit((unsigned char)s[j])))
		return 0;
	while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_' ||
			 (unsigned char)s[j] >= 0x80))
		j++;
	if (j < n && s[j] == '$')
		return j + 1 - i;
	return 0;
}

size_t mg_sql_skip_element(const char *s, size_t i, size_t n)
{
	char c = s[i];

	if (c == '-' && i + 1 < n && s[i + 1] == '-') {
		/* PostgreSQL's scanner ends a -- comment at \n or \r */
		while (i < n && s[i] != '\n' && s[i] != '\r')
			i++;
		return i;
	}
	if (c == '/' && i + 1 < n && s[i + 1] == '*') {
		int depth = 1;
		i += 2;
		while (i < n && depth) {
			if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
				depth++;
				i += 2;
			} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
				depth--;
				i += 2;
			} else {
				i++;
			}
		}
		return i;
	}
	if (c == '\'') {
		bool esc = i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') &&
			   (i < 2 || !is_ident_char(s[i - 2]));
		i++;
		while (i < n) {
			if (esc && s[i] == '\\') {
				i += 2;
				continue;
			}
			if (s[i] == '\'') {
				if (i + 1 < n && s[i + 1] == '\'') {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return n;
	}
	if (c == '"') {
		i++;
		while (i < n) {
			if (s[i] == '"') {
				if (i + 1 < n && s[i + 1] == '"') {
					i += 2;
					continue;
				}
				return i + 1;
			}
			i++;
		}
		return n;
	}
	if (c == '$' && (i == 0 || !is_ident_char(s[i - 1]))) {
		size_t tl = dollar_tag_len(s, i, n);
		if (tl) {
			size_t j = i + tl;
			while (j + tl <= n) {
				if (s[j] == '$' && memcmp(s + j, s + i, tl) == 0)
					return j + tl;
				j++;
			}
			return n;
		}
	}
	return i + 1;
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return mg_xstrndup(s, n);
}

static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	unsigned row[64];

	if (lb >= 63 || la >= 63)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		unsigned prev = row[0], tmp;
		row[0] = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned best = prev + (a[i - 1] != b[j - 1]);
			tmp = row[j];
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static int bad(const struct mg_source *src, size_t off, struct mg_err *err,
	       const char *id, const char *msg, const char *name)
{
	unsigned line, col;

	mg_source_pos(src, off, &line, &col);
	mg_err_set(err, MG_EINPUT, id, "%s", msg);
	mg_err_at(err, src->path, line, col);
	if (name) {
		const char *best = NULL;
		unsigned bd = 3;
		for (size_t i = 0; mg_directive_names[i]; i++) {
			unsigned d = edit_distance(name, mg_directive_names[i]);
			if (d < bd) {
				bd = d;
				best = mg_directive_names[i];
			}
		}
		if (best)
			mg_err_hint(err, "did you mean '-- migrate:%s'? known directives: "
				    "up, down, no-transaction, description, lint-ignore, "
				    "lint-ignore-file", best);
		else
			mg_err_hint(err, "known directives: up, down, no-transaction, "
				    "description, lint-ignore, lint-ignore-file "
				    "(see docs/directives.md)");
	}
	return MG_EINPUT;
}

static int parse_ignore(const struct mg_source *src, struct mg_directive *d,
			size_t a, size_t e, struct mg_err *err)
{
	const char *s = src->text;
	size_t i = a, rc_end = e, cap = 0, cap2 = 0;

	/* reason after " -- " (or "--" after the rule list) */
	for (size_t j = a; j + 1 < e; j++) {
		if (s[j] == '-' && s[j + 1] == '-') {
			rc_end = j;
			d->reason = trim_dup(s + j + 2, e - j - 2);
			if (!d->reason[0]) {
				free(d->reason);
				d->reason = NULL;
			}
			break;
		}
	}
	while (i < rc_end) {
		size_t st;
		while (i < rc_end && (isspace((unsigned char)s[i]) || s[i] == ','))
			i++;
		if (i >= rc_end)
			break;
		st = i;
		while (i < rc_end && !isspace((unsigned char)s[i]) && s[i] != ',')
			i++;
		MG_GROW(d->rules, cap, d->nrules + 1);
		MG_GROW(d->rule_offs, cap2, d->nrules + 1);
		d->rules[d->nrules] = mg_xstrndup(s + st, i - st);
		d->rule_offs[d->nrules] = st;
		d->nrules++;
	}
	if (!d->nrules)
		return bad(src, d->name_off, err, "directive-missing-rule",
			   "lint-ignore needs at least one rule id, e.g. "
			   "'-- migrate:lint-ignore drop-column -- reason'", NULL);
	return 0;
}

static void free_directive(struct mg_directive *x)
{
	free(x->text);
	for (size_t k = 0; k < x->nrules; k++)
		free(x->rules[k]);
	free(x->rules);
	free(x->rule_offs);
	free(x->reason);
}

static int parse_one(const struct mg_source *src, size_t off, size_t name_off,
		     size_t eol, size_t end, struct mg_directives *out,
		     struct mg_err *err)
{
	const char *s = src->text;
	size_t ne = name_off, a;
	struct mg_directive d;
	char name[64];
	int rc = 0;

	memset(&d, 0, sizeof(d));
	d.off = off;
	d.end = end;
	d.name_off = name_off;
	while (ne < eol && !isspace((unsigned char)s[ne]))
		ne++;
	snprintf(name, sizeof(name), "%.*s", (int)(ne - name_off), s + name_off);
	a = ne;
	if (!strcmp(name, "up") || !strcmp(name, "down")) {
		char *args = trim_dup(s + a, eol - a);
		d.kind = name[0] == 'u' ? MG_DIR_UP : MG_DIR_DOWN;
		if (!strcmp(args, "transaction:false"))
			d.no_tx = true;
		else if (args[0] && strcmp(args, "transaction:true")) {
			free(args);
			return bad(src, a, err, "directive-bad-argument",
				   "unexpected argument after section marker; the only "
				   "one allowed is 'transaction:false'", NULL);
		}
		free(args);
	} else if (!strcmp(name, "no-transaction")) {
		char *args = trim_dup(s + a, eol - a);
		d.kind = MG_DIR_NO_TRANSACTION;
		if (args[0]) {
			free(args);
			return bad(src, a, err, "directive-bad-argument",
				   "'-- migrate:no-transaction' takes no argument", NULL);
		}
		free(args);
	} else if (!strcmp(name, "description")) {
		d.kind = MG_DIR_DESCRIPTION;
		d.text = trim_dup(s + a, eol - a);
	} else if (!strcmp(name, "lint-ignore") ||
		   !strcmp(name, "lint-ignore-file")) {
		d.kind = name[11] ? MG_DIR_LINT_IGNORE_FILE : MG_DIR_LINT_IGNORE;
		rc = parse_ignore(src, &d, a, eol, err);
	} else {
		char msg[160];
		snprintf(msg, sizeof(msg), "unknown directive '-- migrate:%s'", name);
		return bad(src, name_off, err, "unknown-directive", msg, name);
	}
	if (rc) {
		free_directive(&d);
		return rc;
	}
	MG_GROW(out->items, out->cap, out->n + 1);
	out->items[out->n++] = d;
	return 0;
}

/*
 * Bytes at which mg_directives_scan has something to do: a newline, or a
 * byte that can start an element mg_sql_skip_element does more than step
 * over ('-' and '/' of comments, quotes, '$' of a dollar quote). At any other
 * byte the scan only steps on (clearing line_start unless it is a blank), so
 * a run of them is crossed at once.
 */
static const unsigned char scan_stop[256] = {
	['\n'] = 1, ['-'] = 1, ['/'] = 1, ['\''] = 1, ['"'] = 1, ['$'] = 1,
};

int mg_directives_scan(const struct mg_source *src, size_t start, size_t end,
		       struct mg_directives *out, struct mg_err *err)
{
	const char *s = src->text;
	size_t i = start;
	bool line_start = true;

	if (end > src->len)
		end = src->len;
	while (i < end) {
		char c = s[i];
		if (!scan_stop[(unsigned char)c]) {
			if (c != ' ' && c != '\t' && c != '\r' && c != '\f')
				line_start = false;
			if (line_start) {
				/* a blank before anything else on the line */
				i++;
				continue;
			}
			/* mid-line: nothing up to the next stop byte matters */
			do
				i++;
			while (i < end && !scan_stop[(unsigned char)s[i]]);
			continue;
		}
		if (c == '\n') {
			line_start = true;
			i++;
			continue;
		}
		if (line_start && c == '-' && i + 1 < end && s[i + 1] == '-') {
			size_t j = i + 2, eol;
			const char *nl = memchr(s + i, '\n', end - i);

			eol = nl ? (size_t)(nl - s) : end;
			while (j < eol && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (eol - j >= 8 && memcmp(s + j, "migrate:", 8) == 0) {
				size_t after = eol < end ? eol + 1 : eol;
				int rc = parse_one(src, i, j + 8, eol, after, out, err);
				if (rc) {
					/* nothing half-scanned is handed back */
					mg_directives_release(out);
					return rc;
				}
			}
			i = eol;
			continue;
		}
		line_start = false;
		i = mg_sql_skip_element(s, i, end);
	}
	return 0;
}

void mg_directives_release(struct mg_directives *d)
{
	for (size_t i = 0; i < d->n; i++)
		free_directive(&d->items[i]);
	free(d->items);
	memset(d, 0, sizeof(*d));
}
