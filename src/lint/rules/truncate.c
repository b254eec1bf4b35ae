/*
 * truncate: TRUNCATE on a table that already exists.
 *
 * TRUNCATE removes every row at once under an ACCESS EXCLUSIVE lock and
 * cannot be undone after COMMIT; CASCADE also empties every table that has
 * a foreign key to it, which the statement does not name. Quiet on tables
 * created earlier in the same script (nobody else has data in them, and
 * only tables this script changed could reference them); in a
 * downgrade, emptying a table the matching upgrade created is expected
 * (reported as info by the engine through `dropped`).
 */
#include <stdio.h>
#include <string.h>

#include "lint/rule.h"

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rels = mg_node_get(st->node, "relations");
	const char *behavior = mg_node_str(st->node, "behavior");
	bool cascade = behavior && strcmp(behavior, "DROP_CASCADE") == 0;
	size_t n = mg_lint_len(rels);

	for (size_t i = 0; i < n; i++) {
		const cJSON *rv = mg_lint_at(rels, i);
		const struct mg_cat_table *t = mg_lint_table(ctx, rv);
		enum mg_origin origin = mg_lint_table_origin(ctx, t);
		char name[160];

		if (origin == MG_ORIGIN_NEW)
			continue;
		mg_lint_rv_name(rv, name, sizeof name);
		/* this relation's lock, not the statement's first one */
		const cJSON *r = mg_node_unwrap(rv, NULL);
		const char *sch = mg_node_str(r, "schemaname");
		const char *rel = mg_node_str(r, "relname");
		struct mg_lock lk = { .mode = MG_LOCK_ACCESS_EXCLUSIVE,
				      .origin = origin };
		snprintf(lk.schema, sizeof lk.schema, "%s", sch ? sch : "public");
		snprintf(lk.relation, sizeof lk.relation, "%s", rel ? rel : "?");
		struct mg_report_opt o = { .dropped = origin, .lock = &lk };
		if (cascade)
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, rv), 0,
					   "TRUNCATE deletes every row of \"%s\", and "
					   "CASCADE also empties every table with a "
					   "foreign key to it, without naming them",
					   name);
		else
			mg_lint_report_opt(ctx, &o, mg_lint_node_off(st, rv), 0,
					   "TRUNCATE deletes every row of \"%s\", with "
					   "no WHERE and no undo after COMMIT",
					   name);
	}
}

static const char *const kinds[] = { "TruncateStmt", NULL };

const struct mg_rule mg_rule_truncate = {
	.id = "truncate",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
