/*
 * enum-value-added-in-transaction: ALTER TYPE ... ADD VALUE inside a
 * transaction block.
 *
 * Before PostgreSQL 12 the statement itself fails inside a transaction
 * block ("ALTER TYPE ... ADD cannot run inside a transaction block"), and a
 * migration the runner wraps in a transaction is one. From 12 on it runs,
 * but the new label cannot be used until the transaction commits: any
 * later statement of the same transaction that turns the string into the
 * enum (UPDATE ... SET status = 'new', INSERT ... VALUES ('new'), DEFAULT
 * 'new', a CHECK or WHERE comparing with it) fails with "unsafe use of new
 * value". Both restrictions are lifted when the enum type itself was
 * created earlier in the same transaction, and nothing is added when
 * IF NOT EXISTS names a label the type already has.
 *
 * Offline we cannot type every expression, so after ADD VALUE 'x' any
 * later string constant 'x' in the same transaction is reported (once per
 * statement), in parsed statements from the tree and in unparsed ones from
 * the tokens. Function bodies and DO blocks are strings, not constants,
 * and run later: not looked into.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"

#define MAXV 32

struct added {
	unsigned txn;
	size_t off;            /* the ALTER TYPE statement */
	char type[140];        /* "schema.name" */
	char value[72];
};

struct state {
	struct added added[MAXV];
	size_t nadded;
	struct {
		unsigned txn;
		char type[140];
	} created[MAXV];
	size_t ncreated;
};

static unsigned line_of(const struct mg_lint_ctx *ctx, size_t off)
{
	const char *text = mg_lint_text(ctx);
	unsigned line = 1;
	for (size_t i = 0; i < off && text[i]; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* ["s","t"] -> "s.t", ["t"] -> "public.t" */
static void type_key(const cJSON *names, char *buf, size_t size)
{
	size_t n = mg_lint_len(names);
	const char *name = mg_lint_strval(mg_lint_at(names, n ? n - 1 : 0));
	const char *schema = n >= 2 ? mg_lint_strval(mg_lint_at(names, n - 2)) : NULL;
	snprintf(buf, size, "%s.%s", schema ? schema : "public", name ? name : "?");
}

static bool created_in_txn(const struct state *s, unsigned txn, const char *key)
{
	for (size_t i = 0; i < s->ncreated; i++)
		if (s->created[i].txn == txn && strcmp(s->created[i].type, key) == 0)
			return true;
	return false;
}

static void on_add_value(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 struct state *s)
{
	const cJSON *names = mg_node_get(st->node, "typeName");
	const char *val = mg_node_str(st->node, "newVal");
	char key[140];
	size_t n = mg_lint_len(names);
	const char *tname = mg_lint_strval(mg_lint_at(names, n ? n - 1 : 0));
	const char *tschema = n >= 2 ? mg_lint_strval(mg_lint_at(names, n - 2)) : NULL;

	if (!val || mg_node_str(st->node, "oldVal"))
		return; /* RENAME VALUE: transactional, fine */
	type_key(names, key, sizeof key);
	if (created_in_txn(s, st->txn, key))
		return;
	if (mg_node_bool(st->node, "skipIfNewValExists")) {
		const struct mg_cat_type *t =
			mg_cat_type(mg_lint_catalog(ctx), tschema, tname);
		if (t && mg_cat_enum_pos(t, val) >= 0)
			return; /* already there: nothing is added */
	}
	if (mg_lint_pg_version(ctx) < 12) {
		mg_lint_report(ctx, st->stmt->off, 0,
			       "ALTER TYPE \"%s\" ... ADD VALUE '%s' cannot run "
			       "inside a transaction block before PostgreSQL 12 "
			       "(--pg-version %d): this statement fails %s",
			       tname ? tname : "?", val, mg_lint_pg_version(ctx),
			       st->explicit_txn
			       ? "inside the script's BEGIN ... COMMIT block"
			       : "in the transaction the runner wraps this "
				 "migration in (mark the file "
				 "-- migrate:no-transaction)");
		return;
	}
	if (s->nadded < MAXV) {
		struct added *a = &s->added[s->nadded++];
		a->txn = st->txn;
		a->off = st->stmt->off;
		snprintf(a->type, sizeof a->type, "%s", tname ? tname : "?");
		snprintf(a->value, sizeof a->value, "%s", val);
	}
}

/* First A_Const string in the tree equal to v, or NULL. */
static const cJSON *find_const(const cJSON *n, const char *v)
{
	if (!n)
		return NULL;
	if (cJSON_IsObject(n)) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(n, "A_Const");
		if (c) {
			const char *sv = mg_node_str(mg_node_get(c, "sval"), "sval");
			if (sv && strcmp(sv, v) == 0)
				return n;
		}
	}
	for (const cJSON *ch = n->child; ch; ch = ch->next) {
		const cJSON *r = find_const(ch, v);
		if (r)
			return r;
	}
	return NULL;
}

static void report_use(struct mg_lint_ctx *ctx, const struct added *a, size_t off)
{
	mg_lint_report_opt(ctx, &(struct mg_report_opt){ .no_lock = true }, off, 0,
			   "'%s' was added to enum \"%s\" at line %u in this same "
			   "transaction: using it before COMMIT fails with "
			   "\"unsafe use of new value\"",
			   a->value, a->type, line_of(ctx, a->off));
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;

	if (!st->in_txn || st->txn == 0)
		return;
	if (strcmp(st->kind, "CreateEnumStmt") && strcmp(st->kind, "AlterEnumStmt")) {
		/* a use: nothing to look for before an enum statement made
		 * the (large) state */
		s = mg_lint_state_peek(ctx);
		if (!s)
			return;
	} else {
		s = mg_lint_state(ctx, sizeof *s);
	}
	if (strcmp(st->kind, "CreateEnumStmt") == 0) {
		if (s->ncreated < MAXV) {
			s->created[s->ncreated].txn = st->txn;
			type_key(mg_node_get(st->node, "typeName"),
				 s->created[s->ncreated].type,
				 sizeof s->created[s->ncreated].type);
			s->ncreated++;
		}
		return;
	}
	if (strcmp(st->kind, "AlterEnumStmt") == 0) {
		on_add_value(ctx, st, s);
		return;
	}
	for (size_t i = 0; i < s->nadded; i++) {
		if (s->added[i].txn != st->txn)
			continue;
		const cJSON *c = find_const(st->node, s->added[i].value);
		if (c) {
			report_use(ctx, &s->added[i], mg_lint_node_off(st, c));
			return;
		}
	}
}

/* Unparsed statements: a string token 'x' (plain quotes only). */
static void check_tokens(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;
	const char *text = mg_lint_text(ctx);

	if (!st->in_txn || st->txn == 0 || !st->tokens)
		return;
	s = mg_lint_state_peek(ctx);
	for (size_t i = 0; s && i < s->nadded; i++) {
		if (s->added[i].txn != st->txn)
			continue;
		for (size_t k = 0; k < st->ntokens; k++) {
			const struct mg_token *t = &st->tokens[k];
			char buf[80];
			size_t len = 0;

			if (t->token != MG_TOK_SCONST || text[t->off] != '\'' ||
			    t->end - t->off < 2)
				continue;
			for (size_t p = t->off + 1; p + 1 < t->end && len + 1 < sizeof buf; p++) {
				if (text[p] == '\'' && text[p + 1] == '\'')
					p++;
				buf[len++] = text[p];
			}
			buf[len] = '\0';
			if (strcmp(buf, s->added[i].value) == 0) {
				report_use(ctx, &s->added[i], t->off);
				return;
			}
		}
	}
}

const struct mg_rule mg_rule_enum_value_added_in_transaction = {
	.id = "enum-value-added-in-transaction",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = NULL,
	.check = check,
	.check_tokens = check_tokens,
};
