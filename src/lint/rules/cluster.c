/*
 * cluster: CLUSTER rewrites a table in index order under ACCESS EXCLUSIVE.
 *
 * CLUSTER copies the whole table and rebuilds every index while holding an
 * ACCESS EXCLUSIVE lock: no reads, no writes until it is done. The order is
 * not maintained afterwards, so it is a maintenance job, not a migration
 * step. CLUSTER without a table re-clusters every table clustered before
 * (and cannot run inside a transaction block). Quiet on tables created
 * earlier in the same script: they are empty.
 */
#include "lint/rule.h"

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	char name[160];

	if (!rv) {
		if (st->in_txn)
			mg_lint_report(ctx, st->stmt->off, 0,
				       "CLUSTER without a table cannot run inside a "
				       "transaction block: this statement fails (and "
				       "outside one it rewrites every previously "
				       "clustered table under ACCESS EXCLUSIVE locks)");
		else
			mg_lint_report(ctx, st->stmt->off, 0,
				       "CLUSTER without a table rewrites every "
				       "previously clustered table in the database, "
				       "each under an ACCESS EXCLUSIVE lock");
		return;
	}
	if (mg_lint_table_origin(ctx, mg_lint_table(ctx, rv)) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rv, name, sizeof name);
	mg_lint_report(ctx, mg_lint_node_off(st, rv), 0,
		       "CLUSTER rewrites table \"%s\" and rebuilds its indexes "
		       "under an ACCESS EXCLUSIVE lock: reads and writes wait "
		       "for the whole copy",
		       name);
}

static const char *const kinds[] = { "ClusterStmt", NULL };

const struct mg_rule mg_rule_cluster = {
	.id = "cluster",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
