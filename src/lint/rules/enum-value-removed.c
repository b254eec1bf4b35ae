/*
 * enum-value-removed: an enum type loses a label (docs/rules/enum-value-removed.md).
 *
 * PostgreSQL cannot drop an enum label, so a removal is a recreation, in
 * one of these shapes (all in one script):
 *   A. ALTER TYPE x RENAME TO x_old; CREATE TYPE x AS ENUM (fewer);
 *      ALTER TABLE t ALTER COLUMN c TYPE x USING c::text::x; DROP TYPE x_old;
 *   B. DROP TYPE x [CASCADE]; CREATE TYPE x AS ENUM (fewer);
 *   C. CREATE TYPE x_new AS ENUM (fewer);
 *      ALTER TABLE t ALTER COLUMN c TYPE x_new USING ...; DROP TYPE x;
 *      ALTER TYPE x_new RENAME TO x;
 * The old labels come from the catalog replayed from earlier migrations;
 * the rule remembers, per script (mg_lint_state), the labels of enum types
 * that were dropped or renamed away, since the catalog forgets them. It
 * reports once per lost label list, at the first statement that shows the
 * loss: the CREATE TYPE that reuses the name (A, B), the ALTER COLUMN TYPE
 * that moves a column to an enum lacking some of its current enum's labels
 * (C), or the ALTER TYPE ... RENAME TO that gives a name a shorter list.
 * A pure reordering or an extension is not reported (column-type-rewrite
 * reports the rewrite of the conversion).
 *
 * When the old labels are unknown (the type was not created by an earlier
 * migration) and the type is recreated under its own name, a warning says
 * so; DROP TYPE IF EXISTS + CREATE TYPE of a type the history does not know
 * is an idempotent setup script and is not reported. In a downgrade the
 * recreation normally undoes an ADD VALUE of the upgrade: an info there.
 */
#include <stdio.h>
#include <string.h>

#include "lint/catalog.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"

static const char *const kinds[] = {
	"DropStmt", "RenameStmt", "CreateEnumStmt", "AlterTableStmt", NULL
};

#define NAMELEN 64
#define MAXPREV 16
#define LABELBUF 4096
#define MAXSEEN 32

/* A name whose enum definition went away in this script. */
struct prev {
	char schema[NAMELEN], name[NAMELEN];
	char labels[LABELBUF];   /* NUL-separated */
	size_t nlabels;
	bool known;              /* labels known (else: unknown history) */
	bool reported;           /* the loss was reported already */
};

struct state {
	struct prev prev[MAXPREV];
	size_t nprev;
	/* "schema.name" of enum types whose lost labels were reported */
	char seen[MAXSEEN][2 * NAMELEN + 2];
	size_t nseen;
};

static const char *sch(const char *s)
{
	return s && s[0] ? s : "public";
}

static const char *list_name(const cJSON *list, const char **schema)
{
	size_t n = mg_lint_len(list);

	*schema = n >= 2 ? mg_lint_strval(mg_lint_at(list, n - 2)) : NULL;
	return mg_lint_list_last(list);
}

static struct state *state_of(struct mg_lint_ctx *ctx)
{
	return mg_lint_state(ctx, sizeof(struct state));
}

static struct prev *find_prev(struct state *s, const char *schema, const char *name)
{
	for (size_t i = s->nprev; i-- > 0;)
		if (!strcmp(s->prev[i].name, name) && !strcmp(s->prev[i].schema, sch(schema)))
			return &s->prev[i];
	return NULL;
}

static void mark_seen(struct state *s, const char *schema, const char *name)
{
	if (s->nseen < MAXSEEN)
		snprintf(s->seen[s->nseen++], sizeof(s->seen[0]), "%s.%s", sch(schema), name);
}

static bool was_seen(const struct state *s, const char *schema, const char *name)
{
	char key[2 * NAMELEN + 2];

	snprintf(key, sizeof(key), "%s.%s", sch(schema), name);
	for (size_t i = 0; i < s->nseen; i++)
		if (!strcmp(s->seen[i], key))
			return true;
	return false;
}

/* Fill p with schema.name's enum definition (ty, or unknown). */
static void fill_prev(const struct state *s, struct prev *p, const char *schema,
		      const char *name, const struct mg_cat_type *ty)
{
	size_t used = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->schema, sizeof(p->schema), "%s", sch(schema));
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->known = ty != NULL;
	p->reported = ty && was_seen(s, ty->schema, ty->name);
	for (size_t i = 0; ty && i < ty->nvalues; i++) {
		size_t len = strlen(ty->values[i]) + 1;
		if (used + len > sizeof(p->labels)) {
			p->known = false; /* too many to compare: treat as unknown */
			break;
		}
		memcpy(p->labels + used, ty->values[i], len);
		used += len;
		p->nlabels++;
	}
}

/* Remember that schema.name's enum definition (ty, or unknown) goes away. */
static void remember(struct state *s, const char *schema, const char *name,
		     const struct mg_cat_type *ty)
{
	struct prev *p = find_prev(s, schema, name);

	if (!p) {
		if (s->nprev == MAXPREV)
			return;
		p = &s->prev[s->nprev++];
	}
	fill_prev(s, p, schema, name, ty);
}

static const char *label_at(const struct prev *p, size_t i)
{
	const char *l = p->labels;

	while (i-- > 0)
		l += strlen(l) + 1;
	return l;
}

/* Append 'label' to a list for the message. */
static void add_label(char *buf, size_t size, size_t *used, size_t *n, const char *label)
{
	int k;

	if (*used + 8 >= size)
		return;
	if (*used + strlen(label) + 16 >= size) {
		k = snprintf(buf + *used, size - *used, ", ...");
		*used = size - 1;
		(void)k;
		return;
	}
	k = snprintf(buf + *used, size - *used, "%s'%s'", *n ? ", " : "", label);
	if (k > 0)
		*used += (size_t)k;
	(*n)++;
}

static bool in_list(const char *label, const char *const *labels, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(labels[i], label))
			return true;
	return false;
}

/* Labels of p missing from labels[0..n): into buf; returns how many. */
static size_t missing_from(const struct prev *p, const char *const *labels, size_t n,
			   char *buf, size_t size)
{
	size_t used = 0, count = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nlabels; i++)
		if (!in_list(label_at(p, i), labels, n))
			add_label(buf, size, &used, &count, label_at(p, i));
	return count;
}

static const char *down_note(const struct mg_lint_ctx *ctx, struct mg_report_opt *o)
{
	if (!mg_lint_is_down(ctx))
		return "";
	o->severity = MG_SEV_INFO;
	return " (in a downgrade: expected when it undoes the matching upgrade's "
	       "ADD VALUE)";
}

/* Span of the type name at token i (possibly qualified). */
static void name_span(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		      size_t i, size_t *off, size_t *len)
{
	size_t n;
	const struct mg_token *t = mg_lint_tokens(ctx, st, &n);
	const char *text = mg_lint_text(ctx);

	*off = st->stmt->off;
	*len = 0;
	if (i >= n)
		return;
	*off = t[i].off;
	*len = t[i].end - t[i].off;
	if (i + 2 < n && text[t[i + 1].off] == '.')
		*len = t[i + 2].end - t[i].off;
}

/* Report that name (now with labels[0..n)) lost labels of p. */
static void report_loss(struct mg_lint_ctx *ctx, struct prev *p, const char *what,
			const char *const *labels, size_t n, size_t off, size_t len)
{
	struct mg_report_opt o = { 0 };
	char lost[512], had[512] = "";
	size_t nlost, used = 0, count = 0;

	if (p->reported)
		return;
	if (!p->known) {
		o.severity = MG_SEV_WARNING;
		mg_lint_report_opt(ctx, &o, off, len,
				   "enum \"%s\" %s, and its earlier labels are not known "
				   "from earlier migrations: adding labels never needs a "
				   "recreation, so check that none is left out while the "
				   "running app version may still write it%s", p->name,
				   what, down_note(ctx, &o));
		p->reported = true;
		return;
	}
	nlost = missing_from(p, labels, n, lost, sizeof(lost));
	if (!nlost)
		return;
	for (size_t i = 0; i < p->nlabels; i++)
		add_label(had, sizeof(had), &used, &count, label_at(p, i));
	mg_lint_report_opt(ctx, &o, off, len,
			   "enum \"%s\" %s without %s (it had %s): the running app "
			   "version still writes %s, and converting a column fails if "
			   "a row holds %s%s", p->name, what, lost, had,
			   nlost > 1 ? "them" : "it", nlost > 1 ? "one" : "it",
			   down_note(ctx, &o));
	p->reported = true;
}

static void on_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s = mg_lint_state_peek(ctx); /* none yet: nothing lost */
	const char *schema, *name = list_name(mg_node_get(st->node, "typeName"), &schema);
	const char *labels[512];
	size_t n = 0, off, len;
	struct prev *p;
	const cJSON *it;

	if (!s || !name || !(p = find_prev(s, schema, name)))
		return;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "vals"))
		if (n < 512 && mg_lint_strval(it))
			labels[n++] = mg_lint_strval(it);
	name_span(ctx, st, 2, &off, &len); /* CREATE TYPE name */
	report_loss(ctx, p, "is recreated", labels, n, off, len);
	if (p->reported) {
		/* the renamed-away copy (x_old) is what columns convert from */
		for (size_t j = 0; j < st->index; j++) {
			const struct mg_lint_stmt *r = mg_lint_stmt_at(ctx, j);
			const char *rs, *rn, *nn;
			if (!r || !r->kind || strcmp(r->kind, "RenameStmt"))
				continue;
			rn = list_name(mg_node_get(mg_node_get(mg_node_get(r->node, "object"),
							       "List"), "items"), &rs);
			nn = mg_node_str(r->node, "newname");
			if (rn && nn && !strcmp(rn, name) && !strcmp(sch(rs), sch(schema)))
				mark_seen(s, rs, nn);
		}
	}
}

static void on_drop(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;
	const char *rt = mg_node_str(st->node, "removeType");
	const cJSON *it;

	if (!rt || strcmp(rt, "OBJECT_TYPE"))
		return;
	s = state_of(ctx);
	cJSON_ArrayForEach(it, mg_node_get(st->node, "objects")) {
		const char *schema, *name = list_name(mg_node_get(mg_node_get(it, "TypeName"),
								  "names"), &schema);
		const struct mg_cat_type *ty;
		if (!name)
			continue;
		ty = mg_cat_type(mg_lint_catalog(ctx), schema, name);
		if (ty && ty->kind != MG_TYPE_ENUM)
			continue;
		if (ty && mg_lint_gen_origin(ctx, ty->gen) == MG_ORIGIN_NEW)
			continue; /* made in this script: nobody used its labels */
		if (!ty && mg_node_bool(st->node, "missing_ok"))
			continue; /* DROP TYPE IF EXISTS of an unknown type: setup */
		remember(s, schema, name, ty);
	}
}

static void on_rename(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s;
	const char *rt = mg_node_str(st->node, "renameType");
	const char *schema, *name, *newname = mg_node_str(st->node, "newname");
	const struct mg_cat_type *ty;
	struct prev *p;

	if (!rt || strcmp(rt, "OBJECT_TYPE") || !newname)
		return;
	s = state_of(ctx);
	name = list_name(mg_node_get(mg_node_get(mg_node_get(st->node, "object"), "List"),
				     "items"), &schema);
	if (!name)
		return;
	ty = mg_cat_type(mg_lint_catalog(ctx), schema, name);
	if (ty && ty->kind != MG_TYPE_ENUM)
		return;
	/* C: a type built under a temporary name takes over a name whose
	   definition went away in this script */
	p = find_prev(s, schema, newname);
	if (p && ty) {
		size_t off, len;
		const char *labels[512];
		size_t n = 0;
		char what[2 * NAMELEN + 40];
		for (size_t i = 0; i < ty->nvalues && n < 512; i++)
			labels[n++] = ty->values[i];
		name_span(ctx, st, 2, &off, &len); /* ALTER TYPE name */
		snprintf(what, sizeof(what), "is replaced by \"%s\"", name);
		report_loss(ctx, p, what, labels, n, off, len);
	}
	/* A: the old definition is renamed away; remember its labels */
	if (!ty || mg_lint_gen_origin(ctx, ty->gen) != MG_ORIGIN_NEW)
		remember(s, schema, name, ty);
}

static void on_alter(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	struct state *s = NULL; /* asked for only when an enum column changes
				   type: the state is large and zeroed on the
				   first request of each script */
	const cJSON *rel = mg_node_get(st->node, "relation");
	const struct mg_cat_table *t = mg_lint_table(ctx, rel);
	size_t i = 0;
	const cJSON *it;

	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW)
		return;
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		const char *col = mg_node_str(cmd, "name");
		const cJSON *def = mg_node_get(mg_node_get(cmd, "def"), "ColumnDef");
		const struct mg_cat_column *c = mg_cat_column(t, col);
		const struct mg_cat_type *from, *to;
		struct mg_type nt;
		struct prev tmp;
		const char *labels[512];
		size_t n = 0, off, end;
		char what[4 * NAMELEN + 64], shown[2 * NAMELEN + 2];

		i++;
		if (!sub || strcmp(sub, "AT_AlterColumnType") || !c || !c->type.name[0] ||
		    c->type.array_dims ||
		    !mg_type_from_node(mg_node_get(def, "typeName"), &nt) || nt.array_dims)
			continue;
		if (mg_lint_column_origin(ctx, t, c) == MG_ORIGIN_NEW)
			continue;
		from = mg_cat_type(mg_lint_catalog(ctx), c->type.schema, c->type.name);
		to = mg_cat_type(mg_lint_catalog(ctx), nt.schema, nt.name);
		if (!from || !to || from == to || from->kind != MG_TYPE_ENUM ||
		    to->kind != MG_TYPE_ENUM)
			continue;
		if (!s)
			s = state_of(ctx);
		if (was_seen(s, from->schema, from->name))
			continue; /* reported where the shorter list appeared */
		fill_prev(s, &tmp, from->schema, from->name, from);
		for (size_t k = 0; k < to->nvalues && n < 512; k++)
			labels[n++] = to->values[k];
		mg_lint_cmd_span(ctx, st, i - 1, &off, &end);
		mg_lint_rv_name(rel, shown, sizeof(shown));
		snprintf(what, sizeof(what), "loses labels: column \"%s\" of \"%s\" "
			 "moves to enum \"%s\"", col, shown, to->name);
		report_loss(ctx, &tmp, what, labels, n, off, end - off);
		if (tmp.reported)
			mark_seen(s, from->schema, from->name);
	}
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	if (!strcmp(st->kind, "CreateEnumStmt"))
		on_create(ctx, st);
	else if (!strcmp(st->kind, "DropStmt"))
		on_drop(ctx, st);
	else if (!strcmp(st->kind, "RenameStmt"))
		on_rename(ctx, st);
	else if (!strcmp(st->kind, "AlterTableStmt"))
		on_alter(ctx, st);
}

const struct mg_rule mg_rule_enum_value_removed = {
	.id = "enum-value-removed",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
