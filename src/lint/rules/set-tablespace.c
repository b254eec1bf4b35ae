/*
 * set-tablespace: ALTER TABLE / INDEX / MATERIALIZED VIEW ... SET TABLESPACE
 * and ALTER ... ALL IN TABLESPACE ... SET TABLESPACE.
 *
 * Moving a relation to another tablespace copies every one of its files
 * block by block while holding an ACCESS EXCLUSIVE lock (on an index, that
 * blocks every query that would plan with it, i.e. the table's reads and
 * writes). ALL IN TABLESPACE does it for every relation there. Quiet on
 * relations created earlier in the same script (empty), and on a
 * partitioned table, which has no storage of its own: SET TABLESPACE only
 * changes the default for future partitions.
 */
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *objword(const char *objtype)
{
	if (objtype && strcmp(objtype, "OBJECT_INDEX") == 0)
		return "index";
	if (objtype && strcmp(objtype, "OBJECT_MATVIEW") == 0)
		return "materialized view";
	return "table";
}

static void check_move_all(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *from = mg_node_str(st->node, "orig_tablespacename");
	const char *to = mg_node_str(st->node, "new_tablespacename");
	const char *what = objword(mg_node_str(st->node, "objtype"));

	mg_lint_report(ctx, st->stmt->off, 0,
		       "ALTER %s ALL IN TABLESPACE \"%s\" copies every %s there "
		       "to \"%s\", each under an ACCESS EXCLUSIVE lock for the "
		       "whole copy",
		       strcmp(what, "materialized view") == 0 ? "MATERIALIZED VIEW"
		       : strcmp(what, "index") == 0 ? "INDEX" : "TABLE",
		       from ? from : "?", what, to ? to : "?");
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv, *cmds;
	const char *objtype, *what;
	char name[160];

	if (strcmp(st->kind, "AlterTableMoveAllStmt") == 0) {
		check_move_all(ctx, st);
		return;
	}
	rv = mg_node_get(st->node, "relation");
	cmds = mg_node_get(st->node, "cmds");
	objtype = mg_node_str(st->node, "objtype");
	what = objword(objtype);

	for (size_t i = 0; i < mg_lint_len(cmds); i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const char *ts = mg_node_str(cmd, "name");
		size_t off, end;

		if (!sub || strcmp(sub, "AT_SetTableSpace") != 0)
			continue;
		if (strcmp(what, "index") == 0) {
			const char *schema = mg_node_str(rv, "schemaname");
			const struct mg_cat_index *ix = mg_cat_index(
				mg_lint_catalog(ctx), schema,
				mg_node_str(rv, "relname"));
			if (ix && mg_lint_gen_origin(ctx, ix->gen) == MG_ORIGIN_NEW)
				return;
			if (ix) {
				const struct mg_cat_table *t = mg_cat_table(
					mg_lint_catalog(ctx), ix->schema, ix->table);
				if (t && mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
					return;
			}
		} else {
			const struct mg_cat_table *t = mg_lint_table(ctx, rv);
			if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
				return;
			if (t && t->partitioned)
				return; /* no storage: only the default changes */
		}
		mg_lint_rv_name(rv, name, sizeof name);
		mg_lint_cmd_span(ctx, st, i, &off, &end);
		mg_lint_report(ctx, off, end - off,
			       "SET TABLESPACE copies %s \"%s\" to tablespace "
			       "\"%s\" under an ACCESS EXCLUSIVE lock: %s wait "
			       "for the whole copy",
			       what, name, ts ? ts : "?",
			       strcmp(what, "index") == 0
			       ? "reads and writes of its table"
			       : "reads and writes");
	}
}

static const char *const kinds[] = { "AlterTableStmt", "AlterTableMoveAllStmt",
				      NULL };

const struct mg_rule mg_rule_set_tablespace = {
	.id = "set-tablespace",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
