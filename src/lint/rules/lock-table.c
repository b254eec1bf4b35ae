/*
 * lock-table: an explicit LOCK TABLE that blocks the application.
 *
 * The lock is held until the transaction ends, so everything the migration
 * does after it extends the time the table is blocked. What matters is the
 * mode (LOCK without IN ... MODE means ACCESS EXCLUSIVE):
 *   ACCESS EXCLUSIVE           blocks reads and writes;
 *   EXCLUSIVE, SHARE ROW EXCL., SHARE  block writes (INSERT/UPDATE/DELETE);
 *   SHARE UPDATE EXCLUSIVE and weaker  block only DDL and maintenance
 *                              (VACUUM, CREATE INDEX), not the application:
 *                              quiet.
 * Quiet on tables created earlier in the script (nobody else uses them).
 * LOCK outside a transaction block is an error at run time ("LOCK TABLE can
 * only be used in transaction blocks"): reported as an error whatever the
 * mode (a no-transaction script runs each statement on its own).
 */
#include <stdio.h>

#include "lint/rule.h"

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rels = mg_node_get(st->node, "relations");
	int mode = mg_node_int(st->node, "mode", MG_LOCK_ACCESS_EXCLUSIVE);
	bool nowait = mg_node_bool(st->node, "nowait");

	if (mode < MG_LOCK_ACCESS_SHARE || mode > MG_LOCK_ACCESS_EXCLUSIVE)
		mode = MG_LOCK_ACCESS_EXCLUSIVE;

	if (!st->in_txn) {
		mg_lint_report_opt(ctx,
				   &(struct mg_report_opt){ .severity = MG_SEV_ERROR,
							    .no_lock = true },
				   st->stmt->off, 0,
				   "LOCK TABLE outside a transaction block fails "
				   "(\"LOCK TABLE can only be used in transaction "
				   "blocks\"): this script runs each statement on "
				   "its own");
		return;
	}
	if (mode < MG_LOCK_SHARE)
		return;

	for (size_t i = 0; i < mg_lint_len(rels); i++) {
		const cJSON *rv = mg_lint_at(rels, i);
		const cJSON *r = mg_node_unwrap(rv, NULL);
		char name[160];
		struct mg_lock lk = { .mode = (enum mg_lock_mode)mode };

		if (mg_lint_table_origin(ctx, mg_lint_table(ctx, rv)) == MG_ORIGIN_NEW)
			continue;
		mg_lint_rv_name(rv, name, sizeof name);
		lk.origin = mg_lint_table_origin(ctx, mg_lint_table(ctx, rv));
		snprintf(lk.relation, sizeof lk.relation, "%s",
			 mg_node_str(r, "relname") ? mg_node_str(r, "relname") : "?");
		snprintf(lk.schema, sizeof lk.schema, "%s",
			 mg_node_str(r, "schemaname") ? mg_node_str(r, "schemaname")
						      : "public");
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .lock = &lk },
				   mg_lint_node_off(st, rv), 0,
				   "LOCK TABLE \"%s\" IN %s MODE blocks every %s until "
				   "the transaction commits%s",
				   name, mg_lock_mode_name((enum mg_lock_mode)mode),
				   mode == MG_LOCK_ACCESS_EXCLUSIVE
				   ? "read and write of it"
				   : mode == MG_LOCK_EXCLUSIVE
				   ? "write to it (and SELECT ... FOR UPDATE/SHARE)"
				   : "write to it",
				   nowait ? "" : " (and, while it waits for the lock, "
				   "those queue behind it)");
	}
}

static const char *const kinds[] = { "LockStmt", NULL };

const struct mg_rule mg_rule_lock_table = {
	.id = "lock-table",
	.default_severity = MG_SEV_WARNING,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
