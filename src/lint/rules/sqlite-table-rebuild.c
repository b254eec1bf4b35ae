/*
 * sqlite-table-rebuild: the 12-step table rebuild done without its
 * foreign-key steps.
 *
 * SQLite cannot alter most of a table, so migrations rebuild it:
 *   CREATE TABLE new_x (...); INSERT INTO new_x SELECT ... FROM x;
 *   DROP TABLE x; ALTER TABLE new_x RENAME TO x;
 * SQLite's documented procedure (https://sqlite.org/lang_altertable.html,
 * "Making Other Kinds Of Table Schema Changes") wraps that in
 *   PRAGMA foreign_keys = OFF;      -- outside the transaction
 *   BEGIN; ...; PRAGMA foreign_key_check; COMMIT;
 *   PRAGMA foreign_keys = ON;
 * Without foreign_keys = OFF (which is a no-op inside a transaction), DROP
 * TABLE x runs an implicit DELETE FROM x with foreign keys enforced: ON
 * DELETE CASCADE empties the child tables, SET NULL clears their
 * references, and other references make the DROP fail. Without
 * foreign_key_check before COMMIT, rows the new definition breaks go
 * unnoticed. A rebuild outside any transaction can also lose the table if
 * it stops between DROP and RENAME.
 *
 * Detected at DROP TABLE x when a later statement renames another table to
 * x. Quiet when x was created earlier in the same script (it is empty).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"
#include "sql/pgscan.h"

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* PRAGMA [schema.]<name> ...: index of the token after the name, or 0. */
static size_t pragma(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		     const char *name)
{
	if (st->kind || !mg_lint_tok_match(ctx, st, 0, "PRAGMA", NULL))
		return 0;
	if (mg_lint_tok_match(ctx, st, 1, name, NULL))
		return 2;
	if (mg_lint_tok_match(ctx, st, 1, "*", ".", name, NULL))
		return 4;
	return 0;
}

/* PRAGMA foreign_keys = OFF (or 0 / false / no) */
static bool fk_off(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	size_t i = pragma(ctx, st, "FOREIGN_KEYS");
	static const char *const offs[] = { "OFF", "0", "FALSE", "NO" };

	if (!i)
		return false;
	for (size_t k = 0; k < sizeof offs / sizeof offs[0]; k++)
		if (mg_lint_tok_match(ctx, st, i, "=", offs[k], NULL) ||
		    mg_lint_tok_match(ctx, st, i, "(", offs[k], NULL))
			return true;
	return false;
}

/* Statements between two parsed ones that the statement splitter lost
 * (the scanner split drops statements made only of non-keyword tokens,
 * such as `PRAGMA foreign_key_check;` or `PRAGMA foreign_keys = 0;`):
 * look for PRAGMA [schema.]name in the raw text [from, to). With want_off,
 * only PRAGMA name = OFF/0/FALSE/NO counts. */
static bool gap_pragma(const struct mg_lint_ctx *ctx, size_t from, size_t to,
		       const char *name, bool want_off)
{
	static const char *const offs[] = { "OFF", "0", "FALSE", "NO", NULL };
	const char *text = mg_lint_text(ctx);
	struct mg_token *t = NULL;
	long n;
	bool found = false;

	if (to <= from)
		return false;
	n = mg_pg_scan(text, from, to, &t);
	for (long i = 0; i + 1 < n && !found; i++) {
		long j = i + 1;
		if (!mg_token_is(text, &t[i], "PRAGMA"))
			continue;
		if (j + 2 < n && t[j + 1].end - t[j + 1].off == 1 &&
		    text[t[j + 1].off] == '.')
			j += 2;
		if (!mg_token_is(text, &t[j], name))
			continue;
		if (!want_off) {
			found = true;
			break;
		}
		if (j + 2 >= n || t[j + 1].end - t[j + 1].off != 1 ||
		    (text[t[j + 1].off] != '=' && text[t[j + 1].off] != '('))
			continue;
		for (size_t k = 0; offs[k]; k++)
			if (mg_token_is(text, &t[j + 2], offs[k]))
				found = true;
	}
	free(t);
	return found;
}

/* Where the script holding the statement at `off` starts, for the text
 * before its first statement: the line after the nearest preceding
 * "-- migrate:up" / "-- migrate:down" section marker, or the file start. */
static size_t script_start(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	size_t i = off;

	while (i > 0) {
		size_t ls = i - 1;
		while (ls > 0 && text[ls - 1] != '\n')
			ls--;
		if (strncmp(text + ls, "-- migrate:up", 13) == 0 ||
		    strncmp(text + ls, "-- migrate:down", 15) == 0) {
			while (text[ls] && text[ls] != '\n')
				ls++;
			return ls;
		}
		i = ls;
	}
	return 0;
}

/* Where the script holding off ends: the next section marker or the end
 * of the file. */
static size_t script_stop(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	size_t i = off;

	while (text[i]) {
		if ((i == 0 || text[i - 1] == '\n') &&
		    (strncmp(text + i, "-- migrate:up", 13) == 0 ||
		     strncmp(text + i, "-- migrate:down", 15) == 0))
			return i;
		i++;
	}
	return i;
}

/* COMMIT / END / ROLLBACK (not ROLLBACK TO): the statement ends its
 * transaction. */
static bool ends_txn(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (st->kind) {
		const char *k = mg_node_str(st->node, "kind");
		return strcmp(st->kind, "TransactionStmt") == 0 && k &&
		       (strcmp(k, "TRANS_STMT_COMMIT") == 0 ||
			strcmp(k, "TRANS_STMT_ROLLBACK") == 0) &&
		       !mg_node_bool(st->node, "chain");
	}
	return mg_lint_tok_match(ctx, st, 0, "COMMIT", NULL) ||
	       mg_lint_tok_match(ctx, st, 0, "END", NULL) ||
	       (mg_lint_tok_match(ctx, st, 0, "ROLLBACK", NULL) &&
		!mg_lint_tok_match(ctx, st, 1, "TO", NULL));
}

static const char *list_last(const cJSON *obj)
{
	const cJSON *items = mg_node_get(mg_node_unwrap(obj, NULL), "items");
	return mg_lint_list_last(items);
}

/* The later ALTER TABLE n RENAME TO name, or NULL. */
static const struct mg_lint_stmt *find_rename(struct mg_lint_ctx *ctx,
					      const struct mg_lint_stmt *st,
					      const char *name)
{
	for (size_t j = st->index + 1; j < mg_lint_nstmts(ctx); j++) {
		const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, j);
		const char *rt, *nn;
		if (!p || !p->kind || strcmp(p->kind, "RenameStmt") != 0)
			continue;
		rt = mg_node_str(p->node, "renameType");
		nn = mg_node_str(p->node, "newname");
		if (rt && strcmp(rt, "OBJECT_TABLE") == 0 && nn && strcmp(nn, name) == 0)
			return p;
	}
	return NULL;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const char *rt = mg_node_str(st->node, "removeType");
	const cJSON *objs = mg_node_get(st->node, "objects");

	if (!rt || strcmp(rt, "OBJECT_TABLE") != 0)
		return;
	for (size_t o = 0; o < mg_lint_len(objs); o++) {
		const char *name = list_last(mg_lint_at(objs, o));
		const struct mg_lint_stmt *ren;
		bool have_off = false, have_check = false;

		if (!name)
			continue;
		ren = find_rename(ctx, st, name);
		if (!ren)
			continue;
		if (mg_lint_table_origin(ctx, mg_cat_table(mg_lint_catalog(ctx), NULL,
							   name)) == MG_ORIGIN_NEW)
			continue;
		/* foreign_keys = OFF outside any transaction, before the DROP */
		const struct mg_lint_stmt *first = mg_lint_stmt_at(ctx, 0);
		if (first && !mg_lint_script_no_tx(ctx))
			; /* everything runs in the runner's transaction */
		else if (first && gap_pragma(ctx, script_start(ctx, first->stmt->off),
					     first->stmt->off, "FOREIGN_KEYS", true))
			have_off = true;
		for (size_t k = 0; k < st->index && !have_off; k++) {
			const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, k);
			const struct mg_lint_stmt *q = mg_lint_stmt_at(ctx, k + 1);
			if (!p || !q)
				break;
			if (!p->in_txn && fk_off(ctx, p))
				have_off = true;
			else if ((!p->in_txn || ends_txn(ctx, p)) &&
				 gap_pragma(ctx, p->stmt->end, q->stmt->off,
					    "FOREIGN_KEYS", true))
				have_off = true;
		}
		/* foreign_key_check after the RENAME, before the transaction ends */
		for (size_t k = ren->index; k < mg_lint_nstmts(ctx) && !have_check; k++) {
			const struct mg_lint_stmt *p = mg_lint_stmt_at(ctx, k);
			const struct mg_lint_stmt *q = mg_lint_stmt_at(ctx, k + 1);
			if (!p || (ren->txn && p->txn != ren->txn))
				break;
			if (k > ren->index && pragma(ctx, p, "FOREIGN_KEY_CHECK"))
				have_check = true;
			if (ends_txn(ctx, p))
				break;
			if (gap_pragma(ctx, p->stmt->end,
				       q ? q->stmt->off : script_stop(ctx, p->stmt->end),
				       "FOREIGN_KEY_CHECK", false))
				have_check = true;
		}
		if (!st->in_txn)
			have_check = true; /* autocommit: "before COMMIT" is moot;
					      the missing transaction is reported */
		if (have_off && have_check && st->in_txn)
			continue;

		const char *from = mg_node_str(mg_node_get(ren->node, "relation"),
					       "relname");
		char what[768] = "";
		size_t len = 0;
		if (!have_off)
			len += (size_t)snprintf(what + len, sizeof what - len,
				"without PRAGMA foreign_keys = OFF before the "
				"transaction%s: with foreign keys on, DROP TABLE "
				"deletes every row first, so ON DELETE CASCADE / SET "
				"NULL delete or clear the rows that reference \"%s\" "
				"(or the DROP fails)",
				mg_lint_script_no_tx(ctx) ? ""
				: " (impossible while the runner wraps this migration "
				  "in a transaction: mark it -- migrate:no-transaction)",
				name);
		if (!have_check && len < sizeof what)
			len += (size_t)snprintf(what + len, sizeof what - len,
				"%swithout PRAGMA foreign_key_check before COMMIT, so "
				"rows that break a foreign key after the copy go "
				"unnoticed",
				len ? "; and " : "");
		if (!st->in_txn && len < sizeof what)
			snprintf(what + len, sizeof what - len,
				 "%soutside a transaction, so a failure between DROP "
				 "and RENAME loses the table",
				 len ? "; and " : "");
		mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true },
				   st->stmt->off, 0,
				   "table rebuild of \"%s\" (DROP TABLE here, ALTER "
				   "TABLE \"%s\" RENAME TO \"%s\" at line %u) %s",
				   name, from ? from : "?", name,
				   line_of(ctx, ren->stmt->off), what);
	}
}

static const char *const kinds[] = { "DropStmt", NULL };

const struct mg_rule mg_rule_sqlite_table_rebuild = {
	.id = "sqlite-table-rebuild",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_SQLITE,
	.kinds = kinds,
	.check = check,
};
