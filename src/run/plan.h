/*
 * plan: the migrations on disk merged with the ledger's rows.
 *
 * Each version appears once, in version order, in one of four states:
 * applied (a clean row and its file), pending (a file, no row), dirty (a
 * row left `running`/`reverting` by a no-transaction migration that failed
 * or was interrupted) or missing (a clean row whose file is gone). Two
 * flags refine them: drifted (applied, and the file's up checksum differs
 * from the recorded one; a NULL recorded checksum is "unknown", never
 * drift) and out_of_order (pending, and older than the newest version in
 * the ledger). Pure computation: no I/O, O(n log n).
 */
#ifndef MG_PLAN_H
#define MG_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "../migset/migset.h"
#include "ledger.h"

enum mg_plan_state {
	MG_PLAN_APPLIED,
	MG_PLAN_PENDING,
	MG_PLAN_DIRTY,
	MG_PLAN_MISSING
};

const char *mg_plan_state_name(enum mg_plan_state s);

struct mg_plan_item {
	long mig;           /* index in the migration set, or -1 (no file) */
	long row;           /* index in the ledger rows, or -1 (not recorded) */
	enum mg_plan_state state;
	bool drifted;       /* applied but the file changed since */
	bool out_of_order;  /* pending but older than the newest recorded */
};

struct mg_plan {
	struct mg_plan_item *items; /* owned; in version order */
	size_t n;
	size_t napplied, npending, ndirty, nmissing, ndrifted, nout_of_order;
	const char *newest;         /* borrowed: newest recorded version, or NULL */
};

/* Merge set and rows (both borrowed; they must outlive p's use). */
void mg_plan_build(struct mg_plan *p, const struct mg_migset *set,
		   const struct mg_ledger_rows *rows);
void mg_plan_release(struct mg_plan *p);

/* Version of item i (from the file, else the row). Borrowed. */
const char *mg_plan_version(const struct mg_plan *p, const struct mg_migset *set,
			    const struct mg_ledger_rows *rows, size_t i);

#endif
