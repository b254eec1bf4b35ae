/*
 * vacuum-full: VACUUM FULL, and VACUUM of any kind inside a transaction.
 *
 * VACUUM FULL rewrites the table into a new file under an ACCESS EXCLUSIVE
 * lock: no reads, no writes for the whole copy, and it needs room for a
 * second copy of the table and its indexes. Plain VACUUM and ANALYZE take
 * SHARE UPDATE EXCLUSIVE and block nothing but other maintenance, so they
 * are fine on their own; but VACUUM (FULL or not) cannot run inside a
 * transaction block at all ("VACUUM cannot run inside a transaction
 * block"), and a migration the runner wraps in a transaction is one. That
 * is a certain runtime failure, so this rule reports it too (one finding
 * per statement). ANALYZE alone may run in a transaction: quiet.
 * VACUUM FULL of a table created earlier in the script is cheap: quiet
 * (unless it is inside a transaction).
 */
#include <string.h>
#include <strings.h>

#include "lint/rule.h"

/* A DefElem boolean option: absent argument = true. */
static bool opt_true(const cJSON *defelem)
{
	const cJSON *arg = mg_node_get(defelem, "arg");
	const char *name = NULL;
	const cJSON *v = mg_node_unwrap(arg, &name);

	if (!arg)
		return true;
	if (name && strcmp(name, "String") == 0) {
		const char *s = mg_node_str(v, "sval");
		if (!s)
			return true;
		return !(strcasecmp(s, "false") == 0 || strcasecmp(s, "off") == 0 ||
			 strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0);
	}
	if (name && strcmp(name, "Integer") == 0)
		return mg_node_int(v, "ival", 0) != 0;
	if (name && strcmp(name, "Boolean") == 0)
		return mg_node_bool(v, "boolval");
	return true;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *node = st->node;
	const cJSON *opts = mg_node_get(node, "options");
	const cJSON *rels = mg_node_get(node, "rels");
	const cJSON *full_opt = NULL;
	bool full = false;

	if (!mg_node_bool(node, "is_vacuumcmd"))
		return; /* ANALYZE */
	for (size_t i = 0; i < mg_lint_len(opts); i++) {
		const cJSON *d = mg_node_unwrap(mg_lint_at(opts, i), NULL);
		const char *nm = mg_node_str(d, "defname");
		if (nm && strcmp(nm, "full") == 0) {
			full = opt_true(d);
			full_opt = d;
		}
	}

	if (st->in_txn) {
		const char *where = st->explicit_txn
			? "inside the script's BEGIN ... COMMIT block"
			: "in the transaction the runner wraps this migration in "
			  "(mark the file -- migrate:no-transaction)";
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   st->stmt->off, 0,
				   "VACUUM%s cannot run inside a transaction block: "
				   "this statement fails %s",
				   full ? " FULL" : "", where);
		return;
	}
	if (!full)
		return;

	size_t n = mg_lint_len(rels);
	if (n == 0) {
		mg_lint_report_node(ctx, st, full_opt,
				    "VACUUM FULL without a table rewrites every "
				    "table in the database, each under an ACCESS "
				    "EXCLUSIVE lock that blocks reads and writes");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const cJSON *vr = mg_node_unwrap(mg_lint_at(rels, i), NULL);
		const cJSON *rv = mg_node_get(vr, "relation");
		const struct mg_cat_table *t = mg_lint_table(ctx, rv);
		char name[160];

		if (!rv || mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
			continue;
		mg_lint_rv_name(rv, name, sizeof name);
		mg_lint_report(ctx, mg_lint_node_off(st, rv), 0,
			       "VACUUM FULL rewrites table \"%s\" and its indexes "
			       "under an ACCESS EXCLUSIVE lock: reads and writes "
			       "wait for the whole copy",
			       name);
	}
}

static const char *const kinds[] = { "VacuumStmt", NULL };

const struct mg_rule mg_rule_vacuum_full = {
	.id = "vacuum-full",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
