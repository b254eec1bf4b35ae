/* coldefs: the columns a statement defines; see coldefs.h. */
#include "coldefs.h"

#include <string.h>

void mg_each_coldef(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		    mg_coldef_fn fn)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	char table[160];
	const char *pers = mg_node_str(rv, "relpersistence");

	if (!rv || (pers && strcmp(pers, "t") == 0))
		return;
	mg_lint_rv_name(rv, table, sizeof table);
	if (strcmp(st->kind, "CreateStmt") == 0) {
		const cJSON *elts = mg_node_get(st->node, "tableElts"), *el;
		/* element by element (mg_lint_at would walk the list from its
		 * start for each one) */
		if (!cJSON_IsArray(elts))
			return;
		cJSON_ArrayForEach(el, elts) {
			const char *nm = NULL;
			const cJSON *cd = mg_node_unwrap(el, &nm);
			if (!nm || strcmp(nm, "ColumnDef") != 0 ||
			    !mg_node_get(cd, "typeName"))
				continue;
			struct mg_coldef c = {
				.table = table,
				.name = mg_node_str(cd, "colname"),
				.type = mg_node_get(cd, "typeName"),
				.constraints = mg_node_get(cd, "constraints"),
				.rangevar = rv,
			};
			if (c.name)
				fn(ctx, st, &c);
		}
		return;
	}
	const char *objtype = mg_node_str(st->node, "objtype");
	if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0)
		return;
	const cJSON *cmds = mg_node_get(st->node, "cmds"), *it;
	if (!cJSON_IsArray(cmds))
		return;
	cJSON_ArrayForEach(it, cmds) {
		const cJSON *cmd = mg_node_unwrap(it, NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const cJSON *cd = mg_node_unwrap(mg_node_get(cmd, "def"), NULL);
		struct mg_coldef c = { .table = table, .rangevar = rv };

		if (!sub || !cd || !mg_node_get(cd, "typeName"))
			continue;
		if (strcmp(sub, "AT_AddColumn") == 0) {
			c.name = mg_node_str(cd, "colname");
		} else if (strcmp(sub, "AT_AlterColumnType") == 0) {
			c.name = mg_node_str(cmd, "name");
			c.alter_type = true;
		} else {
			continue;
		}
		c.type = mg_node_get(cd, "typeName");
		c.constraints = mg_node_get(cd, "constraints");
		if (c.name)
			fn(ctx, st, &c);
	}
}

const char *mg_coldef_builtin_type(const cJSON *type)
{
	const cJSON *names = mg_node_get(type, "names");
	size_t n = mg_lint_len(names);
	if (n == 0 || n > 2)
		return NULL;
	if (n == 2) {
		const char *sch = mg_lint_strval(mg_lint_at(names, 0));
		if (!sch || strcmp(sch, "pg_catalog") != 0)
			return NULL;
	}
	return mg_lint_strval(mg_lint_at(names, n - 1));
}
