/*
 * validate-in-same-transaction: VALIDATE CONSTRAINT in the transaction
 * that added the constraint NOT VALID.
 *
 * ADD ... NOT VALID is the cheap half: it takes its lock (ACCESS EXCLUSIVE
 * for a CHECK, SHARE ROW EXCLUSIVE on both tables for a foreign key) only
 * for a moment, and VALIDATE CONSTRAINT is meant to scan the table later
 * under SHARE UPDATE EXCLUSIVE, which blocks no reads or writes. Run both
 * in one transaction and the ADD's lock is still held during the whole
 * validation scan: the split buys nothing. Transactions come from the
 * engine (st->txn: the runner's per-migration transaction, or BEGIN ...
 * COMMIT blocks; 0 for a statement that runs on its own, as in a
 * no-transaction script). Quiet on tables created earlier in the script.
 *
 * The ADD is matched by constraint name; an unnamed ADD ... NOT VALID
 * matches when the catalog's constraint of that name was added in this
 * script, is still NOT VALID and has the same type.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

static const char *schema_of(const cJSON *rv)
{
	const char *s = mg_node_str(rv, "schemaname");
	return s ? s : "public";
}

static bool same_rel(const cJSON *a, const cJSON *b)
{
	const char *na = mg_node_str(a, "relname"), *nb = mg_node_str(b, "relname");
	return na && nb && strcmp(na, nb) == 0 &&
	       strcmp(schema_of(a), schema_of(b)) == 0;
}

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

static enum mg_con_type contype_of(const char *s)
{
	if (s && strcmp(s, "CONSTR_CHECK") == 0)
		return MG_CON_CHECK;
	if (s && strcmp(s, "CONSTR_FOREIGN") == 0)
		return MG_CON_FOREIGN;
	return 0;
}

/* The ADD ... NOT VALID of constraint `name` on rv earlier in st's
 * transaction (commands of st itself before `before`), or NULL. */
static const struct mg_lint_stmt *find_add(struct mg_lint_ctx *ctx,
					   const struct mg_lint_stmt *st,
					   size_t before, const cJSON *rv,
					   const struct mg_cat_constraint *con,
					   const char *name,
					   enum mg_con_type *type_out)
{
	for (size_t j = st->index + 1; j-- > 0;) {
		const struct mg_lint_stmt *s = j == st->index ? st
							      : mg_lint_stmt_at(ctx, j);
		if (!s || s->txn != st->txn)
			break;
		if (!s->kind || strcmp(s->kind, "AlterTableStmt") != 0 ||
		    !same_rel(mg_node_get(s->node, "relation"), rv))
			continue;
		const cJSON *cmds = mg_node_get(s->node, "cmds");
		size_t n = j == st->index ? before : mg_lint_len(cmds);
		for (size_t i = 0; i < n; i++) {
			const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
			const char *sub = mg_node_str(cmd, "subtype");
			const cJSON *c = mg_node_unwrap(mg_node_get(cmd, "def"), NULL);
			const char *cname = mg_node_str(c, "conname");
			enum mg_con_type ct = contype_of(mg_node_str(c, "contype"));

			if (!sub || strcmp(sub, "AT_AddConstraint") != 0 ||
			    !mg_node_bool(c, "skip_validation"))
				continue;
			if (cname ? strcmp(cname, name) == 0
				  : (con && !con->valid && con->type == ct &&
				     mg_lint_gen_origin(ctx, con->gen) == MG_ORIGIN_NEW)) {
				*type_out = ct;
				return s;
			}
		}
	}
	return NULL;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rv = mg_node_get(st->node, "relation");
	const cJSON *cmds = mg_node_get(st->node, "cmds");
	const struct mg_cat_table *t;
	char tname[160];

	if (st->txn == 0 || !st->in_txn)
		return;
	t = mg_lint_table(ctx, rv);
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	mg_lint_rv_name(rv, tname, sizeof tname);

	for (size_t i = 0; i < mg_lint_len(cmds); i++) {
		const cJSON *cmd = mg_node_unwrap(mg_lint_at(cmds, i), NULL);
		const char *sub = mg_node_str(cmd, "subtype");
		const char *name = mg_node_str(cmd, "name");
		enum mg_con_type type = 0;
		const struct mg_lint_stmt *add;
		size_t off, end;

		if (!sub || strcmp(sub, "AT_ValidateConstraint") != 0 || !name)
			continue;
		add = find_add(ctx, st, i, rv, mg_cat_constraint(t, name), name,
			       &type);
		if (!add)
			continue;

		/* The strongest lock the transaction holds on the table. */
		struct mg_lock held = {
			.mode = type == MG_CON_FOREIGN ? MG_LOCK_SHARE_ROW_EXCLUSIVE
						       : MG_LOCK_ACCESS_EXCLUSIVE,
			.origin = mg_lint_table_origin(ctx, t),
		};
		const struct mg_txn_lock *locks;
		size_t nl = mg_lint_txn_locks(ctx, &locks);
		const char *relname = mg_node_str(rv, "relname");
		for (size_t k = 0; k < nl && relname; k++) {
			const struct mg_lock *l = &locks[k].lock;
			if (strcmp(l->relation, relname) != 0 ||
			    strcmp(l->schema, schema_of(rv)) != 0)
				continue;
			if (l->mode >= held.mode)
				held = *l;
		}
		snprintf(held.relation, sizeof held.relation, "%s",
			 relname ? relname : "?");
		snprintf(held.schema, sizeof held.schema, "%s", schema_of(rv));
		held.scan = true;

		mg_lint_cmd_span(ctx, st, i, &off, &end);
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .lock = &held },
				   off, end - off,
				   "VALIDATE CONSTRAINT \"%s\" runs in the same "
				   "transaction as its ADD ... NOT VALID (line %u): "
				   "the %s lock on \"%s\" is held until COMMIT, so "
				   "%s wait for the whole validation scan",
				   name, line_of(ctx, add->stmt->off),
				   mg_lock_mode_name(held.mode), tname,
				   held.mode == MG_LOCK_ACCESS_EXCLUSIVE
				   ? "reads and writes" : "writes");
	}
}

static const char *const kinds[] = { "AlterTableStmt", NULL };

const struct mg_rule mg_rule_validate_in_same_transaction = {
	.id = "validate-in-same-transaction",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
