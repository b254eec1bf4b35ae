/*
 * detach-partition-non-concurrent: ALTER TABLE parent DETACH PARTITION p
 * without CONCURRENTLY, when the target is PostgreSQL 14 or later.
 *
 * A plain DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table
 * (and the partition): every query on any partition of it waits, and the
 * request itself waits behind every running query. DETACH PARTITION ...
 * CONCURRENTLY (PostgreSQL 14+) takes only SHARE UPDATE EXCLUSIVE on the
 * parent and lets reads and writes go on. It cannot run inside a
 * transaction block, is refused when the table has a DEFAULT partition, and
 * if it is interrupted the detach is finished with DETACH PARTITION ...
 * FINALIZE.
 *
 * Not reported: before PostgreSQL 14 (there is no concurrent form);
 * partitioned tables or partitions created earlier in the same script; a
 * partitioned table the transaction already holds in ACCESS EXCLUSIVE.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

/* The current transaction already holds ACCESS EXCLUSIVE on schema.rel
 * (taken by an earlier statement): this statement adds no new blocking. */
static bool already_locked(const struct mg_lint_ctx *ctx, const char *schema,
			   const char *rel)
{
	const struct mg_txn_lock *tl;
	size_t n = mg_lint_txn_locks(ctx, &tl);

	for (size_t i = 0; i < n; i++)
		if (tl[i].lock.mode == MG_LOCK_ACCESS_EXCLUSIVE && rel &&
		    !strcmp(tl[i].lock.relation, rel) &&
		    !strcmp(tl[i].lock.schema, schema && schema[0] ? schema : "public"))
			return true;
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const cJSON *it;
	char parent[160], part[160];
	size_t i = 0;

	if (mg_lint_pg_version(ctx) < 14)
		return;
	if (mg_lint_rv_is_new(ctx, rel))
		return;
	if (already_locked(ctx, mg_node_str(rel, "schemaname"), mg_node_str(rel, "relname")))
		return; /* the transaction already blocks the partitioned table */
	mg_lint_rv_name(rel, parent, sizeof(parent));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *pc = mg_node_get(mg_node_get(cmd, "def"), "PartitionCmd");
		const cJSON *prv = mg_node_get(pc, "name");
		size_t off, end;

		i++;
		if (!sub || strcmp(sub, "AT_DetachPartition") ||
		    mg_node_bool(pc, "concurrent"))
			continue;
		if (mg_lint_rv_is_new(ctx, prv))
			continue;
		mg_lint_rv_name(prv, part, sizeof(part));
		if (!mg_lint_cmd_span(ctx, st, i - 1, &off, &end) ||
		    !mg_lint_word_span(ctx, st, off, "DETACH", &off, &end)) {
			off = mg_lint_node_off(st, prv);
			end = off;
		}
		mg_lint_report(ctx, off, end - off,
			       "detaching partition \"%s\" from \"%s\" without CONCURRENTLY "
			       "takes ACCESS EXCLUSIVE on \"%s\": every query on it waits, "
			       "and the DETACH itself waits behind every running one",
			       part, parent, parent);
	}
}

const struct mg_rule mg_rule_detach_partition_non_concurrent = {
	.id = "detach-partition-non-concurrent",
	.default_severity = MG_SEV_WARNING,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
