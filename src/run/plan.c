/* plan: merge the migration set with the ledger; see plan.h. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "../migset/version.h"

const char *mg_plan_state_name(enum mg_plan_state s)
{
	switch (s) {
	case MG_PLAN_APPLIED: return "applied";
	case MG_PLAN_PENDING: return "pending";
	case MG_PLAN_DIRTY: return "dirty";
	case MG_PLAN_MISSING: return "missing";
	}
	return "?";
}

static int cmp_row(const void *a, const void *b, void *arg)
{
	const struct mg_ledger_rows *rows = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = mg_version_cmp(rows->v[x].version, rows->v[y].version);

	if (c)
		return c;
	return x < y ? -1 : x > y;
}

void mg_plan_build(struct mg_plan *p, const struct mg_migset *set,
		   const struct mg_ledger_rows *rows)
{
	size_t nrows = rows ? rows->n : 0, i = 0, j = 0;
	size_t *order = mg_xcalloc(nrows + 1, sizeof(size_t));

	memset(p, 0, sizeof(*p));
	p->items = mg_xcalloc(set->n + nrows + 1, sizeof(p->items[0]));
	for (size_t k = 0; k < nrows; k++)
		order[k] = k;
	/* the ledger usually comes back in version order already */
	for (i = 1; i < nrows; i++)
		if (cmp_row(&order[i - 1], &order[i], (void *)rows) > 0)
			break;
	if (nrows && i < nrows)
		qsort_r(order, nrows, sizeof(size_t), cmp_row, (void *)rows);
	i = 0;
	if (nrows)
		p->newest = rows->v[order[nrows - 1]].version;

	while (i < set->n || j < nrows) {
		struct mg_plan_item *it = &p->items[p->n++];
		int c;

		if (i >= set->n)
			c = 1;
		else if (j >= nrows)
			c = -1;
		else
			c = mg_version_cmp(set->items[i].version, rows->v[order[j]].version);
		it->mig = -1;
		it->row = -1;
		if (c < 0) {
			it->mig = (long)i++;
		} else if (c > 0) {
			it->row = (long)order[j++];
		} else {
			it->mig = (long)i++;
			it->row = (long)order[j++];
		}
		if (it->row < 0) {
			it->state = MG_PLAN_PENDING;
			p->npending++;
			if (p->newest && mg_version_cmp(set->items[it->mig].version,
							p->newest) < 0) {
				it->out_of_order = true;
				p->nout_of_order++;
			}
			continue;
		}
		{
			const struct mg_ledger_row *r = &rows->v[it->row];
			if (r->dirty) {
				it->state = MG_PLAN_DIRTY;
				p->ndirty++;
			} else if (it->mig < 0) {
				it->state = MG_PLAN_MISSING;
				p->nmissing++;
			} else {
				it->state = MG_PLAN_APPLIED;
				p->napplied++;
				if (r->checksum && *r->checksum &&
				    strcmp(r->checksum, set->items[it->mig].up.checksum)) {
					it->drifted = true;
					p->ndrifted++;
				}
			}
		}
	}
	free(order);
}

void mg_plan_release(struct mg_plan *p)
{
	free(p->items);
	memset(p, 0, sizeof(*p));
}

const char *mg_plan_version(const struct mg_plan *p, const struct mg_migset *set,
			    const struct mg_ledger_rows *rows, size_t i)
{
	const struct mg_plan_item *it = &p->items[i];

	if (it->mig >= 0)
		return set->items[it->mig].version;
	return rows->v[it->row].version;
}
