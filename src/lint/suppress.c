/* suppress: lint-ignore directives resolved to statements; see suppress.h. */
#include "suppress.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "rule_meta.h"

static bool known_id(const char *id)
{
	return mg_rule_index(id) >= 0 || mg_engine_diag_get(id) != NULL;
}

void mg_suppress_build(struct mg_suppress *s, const struct mg_directives *dirs,
		       size_t off, size_t end, const size_t *stmt_offs,
		       size_t nstmts)
{
	memset(s, 0, sizeof(*s));
	if (!dirs)
		return;
	for (size_t i = 0; i < dirs->n; i++) {
		const struct mg_directive *d = &dirs->items[i];
		size_t target;
		if (d->kind != MG_DIR_LINT_IGNORE && d->kind != MG_DIR_LINT_IGNORE_FILE)
			continue;
		if (d->off < off || d->off >= end)
			continue;
		if (d->kind == MG_DIR_LINT_IGNORE_FILE) {
			target = MG_SUPPRESS_FILE;
		} else {
			/* the first statement starting after the directive */
			size_t lo = 0, hi = nstmts;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (stmt_offs[mid] < d->end)
					lo = mid + 1;
				else
					hi = mid;
			}
			target = lo < nstmts ? lo : MG_SUPPRESS_NOWHERE;
		}
		for (size_t k = 0; k < d->nrules; k++) {
			struct mg_suppress_entry *e;
			MG_GROW(s->v, s->cap, s->n + 1);
			e = &s->v[s->n++];
			memset(e, 0, sizeof(*e));
			e->dir = d;
			e->rule = d->rules[k];
			e->rule_off = d->rule_offs ? d->rule_offs[k] : d->off;
			e->stmt = target;
			e->known = known_id(e->rule);
		}
	}
}

bool mg_suppress_match(struct mg_suppress *s, const char *rule, size_t stmt_index)
{
	bool hit = false;

	for (size_t i = 0; i < s->n; i++) {
		struct mg_suppress_entry *e = &s->v[i];
		if (!e->known || strcmp(e->rule, rule))
			continue;
		if (e->stmt == MG_SUPPRESS_FILE ||
		    (stmt_index != SIZE_MAX && e->stmt == stmt_index)) {
			e->used = true;
			hit = true;
		}
	}
	return hit;
}

void mg_suppress_release(struct mg_suppress *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}
